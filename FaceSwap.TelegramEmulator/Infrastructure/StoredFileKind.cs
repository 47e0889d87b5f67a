namespace FaceSwap.TelegramEmulator.Infrastructure;

public enum StoredFileKind { Photo, Document, Sticker }
