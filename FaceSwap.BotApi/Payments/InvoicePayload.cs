using System.Globalization;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// What a Stars invoice sold, carried in its payload (at most 128 bytes) and given back in the pre-checkout query
/// and the successful payment: <c>p1:{pack}:{credits}:{user}</c>. The credits travel too, so a payment made just as
/// the packs changed still credits what the buyer was shown.
/// </summary>
public sealed record InvoicePayload(string PackId, int Credits, long UserId)
{
    private const string Version = "p1";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Version}:{PackId}:{Credits}:{UserId}");

    public static InvoicePayload? Parse(string? payload)
    {
        var parts = payload?.Split(':');
        return parts is [Version, { Length: > 0 } pack, var credits, var user]
               && int.TryParse(credits, NumberStyles.None, CultureInfo.InvariantCulture, out var creditCount) && creditCount > 0
               && long.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            ? new InvoicePayload(pack, creditCount, userId)
            : null;
    }
}
