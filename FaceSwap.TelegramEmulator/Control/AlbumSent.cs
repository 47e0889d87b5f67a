namespace FaceSwap.TelegramEmulator.Control;

public sealed record AlbumSent(IReadOnlyList<long> UpdateIds, IReadOnlyList<long> MessageIds);
