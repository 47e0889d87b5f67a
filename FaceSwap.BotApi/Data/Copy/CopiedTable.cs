namespace FaceSwap.BotApi.Data.Copy;

/// <summary>One table moved by <see cref="DatabaseCopy"/>: its rows and the checksum both sides agreed on.</summary>
public sealed record CopiedTable(string Name, long Rows, string Checksum);
