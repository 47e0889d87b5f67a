using System.Net;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Operations;

public sealed class MediaUrlTests
{
    private const string BlobKey = "faceswap:blob:0123456789abcdef";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private MediaUrlSigner Signer(string? key = "a-signing-key-of-at-least-32-characters!") => new(
        Options.Create(new MediaOptions { SigningKey = key, PublicBaseUrl = new Uri("https://bot.example.com"), UrlLifetime = TimeSpan.FromMinutes(10) }),
        Options.Create(new TelegramOptions()), _time);

    private static (long Expires, string Sig) Parse(string url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        return (long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture), query["sig"]!);
    }

    [Fact]
    public void A_signed_url_works_until_it_expires()
    {
        var signer = Signer();
        var url = signer.CreateUrl(BlobKey)!;
        Assert.StartsWith("https://bot.example.com/media/faceswap%3Ablob%3A0123456789abcdef?expires=", url);
        var (expires, sig) = Parse(url);

        Assert.True(signer.IsValid(BlobKey, expires, sig));
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(signer.IsValid(BlobKey, expires, sig));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(signer.IsValid(BlobKey, expires, sig));
    }

    [Fact]
    public void Tampering_with_the_key_expiry_or_signature_fails()
    {
        var signer = Signer();
        var (expires, sig) = Parse(signer.CreateUrl(BlobKey)!);

        Assert.False(signer.IsValid("faceswap:blob:another", expires, sig));
        Assert.False(signer.IsValid(BlobKey, expires + 3600, sig));
        Assert.False(signer.IsValid(BlobKey, expires, sig[..^1] + (sig[^1] == '0' ? '1' : '0')));
        Assert.False(signer.IsValid(BlobKey, expires, null));
        // Another process with another key does not accept it either.
        Assert.False(Signer("another-signing-key-of-32-characters-or-more").IsValid(BlobKey, expires, sig));
        Assert.False(Signer(null).IsValid(BlobKey, expires, sig));
    }

    [Fact]
    public void Without_a_public_url_jobs_carry_no_urls()
    {
        var signer = new MediaUrlSigner(Options.Create(new MediaOptions()), Options.Create(new TelegramOptions()), _time);
        Assert.False(signer.Enabled);
        Assert.Null(signer.CreateUrl(BlobKey));
    }

    [Fact]
    public async Task The_endpoint_serves_a_blob_only_with_a_valid_signature()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BotApiHost.StartAsync(services: services => services.AddSingleton<TimeProvider>(clock));
        var blobs = host.Services.GetRequiredService<BlobStore>();
        var photo = Emulator.EmulatorHost.MakeImage(8, 8);
        var key = await blobs.PutAsync(1, photo, CancellationToken.None);
        var url = new Uri(host.Services.GetRequiredService<MediaUrlSigner>().CreateUrl(key)!);
        Assert.Equal(host.BaseAddress.Authority, url.Authority);

        var response = await host.Http.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(photo, await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(url.AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(url.PathAndQuery.Replace("sig=", "sig=0", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/media/faceswap%3Ablob%3Aother" + url.Query)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(url.PathAndQuery)).StatusCode);
    }
}
