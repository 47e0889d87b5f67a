using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Media;

/// <summary>Makes and checks <c>/media/{blobKey}?expires={unix seconds}&amp;sig={HMAC-SHA256(blobKey \n expires)}</c>.</summary>
public sealed class MediaUrlSigner
{
    private readonly byte[] _key;
    private readonly Uri? _baseUrl;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public MediaUrlSigner(IOptions<MediaOptions> options, IOptions<TelegramOptions> telegram, TimeProvider time)
    {
        var media = options.Value;
        _key = string.IsNullOrEmpty(media.SigningKey) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(media.SigningKey);
        _baseUrl = media.PublicBaseUrl ?? telegram.Value.PublicUrl;
        _lifetime = media.UrlLifetime;
        _time = time;
    }

    /// <summary>Whether jobs get URLs at all (a public base URL is known).</summary>
    public bool Enabled => _baseUrl is not null;

    public string? CreateUrl(string blobKey)
    {
        if (_baseUrl is null)
        {
            return null;
        }

        return new Uri(_baseUrl, CreatePath(blobKey)).ToString();
    }

    /// <summary>The same signed, expiring URL relative to this host, for the web app's own pages.</summary>
    public string CreatePath(string blobKey)
    {
        var expires = (_time.GetUtcNow() + _lifetime).ToUnixTimeSeconds();
        return $"/media/{Uri.EscapeDataString(blobKey)}?expires={expires}&sig={Sign(blobKey, expires)}";
    }

    public bool IsValid(string blobKey, long expires, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || _time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(blobKey, expires)), Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string blobKey, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(blobKey + "\n" + expires.ToString(CultureInfo.InvariantCulture))));
}
