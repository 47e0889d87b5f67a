using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Web;

/// <summary>The web app's settings (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>How old a Telegram login may be when it reaches the bot API (its <c>auth_date</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Web:LoginMaxAge must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan LoginMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long the session cookie lasts (renewed while used).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Web:SessionLifetime must be between 00:05:00 and 30.00:00:00.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The largest upload of a swap (both photos and the form around them), as the chat's 20 MB a photo.</summary>
    [Range(1024, 100L * 1024 * 1024, ErrorMessage = "Web:MaxUploadBytes must be between 1024 and 104857600.")]
    public long MaxUploadBytes { get; set; } = 40L * 1024 * 1024;

    /// <summary>Requests a minute a signed-in account may make to <c>/web/api</c>.</summary>
    [Range(1, 100_000, ErrorMessage = "Web:AccountRequestsPerMinute must be between 1 and 100000.")]
    public int AccountRequestsPerMinute { get; set; } = 120;

    /// <summary>Requests a minute one client address may make to <c>/web</c> (pages, sign-in and API).</summary>
    [Range(1, 100_000, ErrorMessage = "Web:IpRequestsPerMinute must be between 1 and 100000.")]
    public int IpRequestsPerMinute { get; set; } = 300;

    /// <summary>
    /// Where "Sign in with Telegram" goes, with <c>bot_id</c> and <c>return_to</c>: Telegram's login page in production,
    /// the emulator's stand-in (<c>{emulator}/login</c>) locally. Either comes back to <c>/web/signin.html</c> with the signed fields in the fragment.
    /// </summary>
    [Required]
    public Uri LoginUrl { get; set; } = new("https://oauth.telegram.org/auth");
}
