namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>What a Stars invoice needs beyond the Telegram Invoice object (which omits the payload).</summary>
public sealed record InvoiceDetails(string Payload, string Currency, long TotalAmount);
