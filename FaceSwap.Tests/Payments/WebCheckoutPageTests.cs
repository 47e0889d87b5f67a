using System.Text.RegularExpressions;
using FaceSwap.BotApi.Web.Payments;
using FaceSwap.Tests.Deployment;

namespace FaceSwap.Tests.Payments;

/// <summary>
/// The credits page's static files (FaceSwap.BotApi/wwwroot/web/credits.*): they exist, load only same-origin files
/// and carry no inline script or style (the site's Content-Security-Policy is <c>default-src 'self'</c>, which would
/// block them), and the script calls the routes <see cref="WebPaymentsApi"/> maps.
/// </summary>
public sealed partial class WebCheckoutPageTests
{
    private static readonly string Folder = RepositoryFiles.PathOf("FaceSwap.BotApi", "wwwroot", "web");

    private static string Html => File.ReadAllText(Path.Combine(Folder, "credits.html"));

    private static string Script => File.ReadAllText(Path.Combine(Folder, "credits.js"));

    [Fact]
    public void The_page_is_served_where_checkout_returns_the_buyer()
    {
        Assert.Equal("/web/credits.html", WebPaymentsApi.CreditsPage);
        Assert.True(File.Exists(Path.Combine(Folder, "credits.html")));
    }

    [Fact]
    public void The_page_loads_only_its_own_same_origin_files_and_they_exist()
    {
        var references = ReferenceRegex().Matches(Html).Select(m => m.Groups["url"].Value).ToList();

        Assert.Equal(new[] { "/web/credits.css", "/web/credits.js" }, references.Order(StringComparer.Ordinal).ToArray());
        foreach (var url in references)
        {
            Assert.True(File.Exists(Path.Combine(Folder, Path.GetFileName(url))), $"{url} is referenced but missing");
        }
    }

    [Fact]
    public void The_page_has_no_inline_script_or_style_that_the_content_security_policy_would_block()
    {
        var html = Html;

        Assert.All(ScriptTagRegex().Matches(html), tag =>
        {
            Assert.Contains("src=", tag.Groups["attributes"].Value, StringComparison.Ordinal);
            Assert.True(string.IsNullOrWhiteSpace(tag.Groups["body"].Value), "a <script> with inline code");
        });
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        // Laid out for the screen it is on, a phone's included, not a zoomed-out desktop page.
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_script_calls_only_the_web_api_with_the_antiforgery_header()
    {
        var script = Script;

        Assert.DoesNotMatch("https?://", script);
        Assert.Contains("const api = \"/web/api\";", script, StringComparison.Ordinal);
        foreach (var route in new[] { "\"/packs\"", "\"/checkout\"", "\"/payments\"", "\"/me\"", "\"/csrf\"" })
        {
            Assert.Contains(route, script, StringComparison.Ordinal);
        }

        Assert.Contains("\"X-CSRF-TOKEN\"", script, StringComparison.Ordinal);
        // The notices after Checkout read the query WebPaymentsApi puts on the return URLs.
        Assert.Contains("query.has(\"paid\")", script, StringComparison.Ordinal);
        Assert.Contains("query.has(\"cancelled\")", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_element_the_script_looks_up_is_on_the_page()
    {
        var html = Html;
        var ids = ElementLookupRegex().Matches(Script).Select(m => m.Groups["id"].Value).Distinct().ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal));
    }

    [GeneratedRegex("""<(?:script|link)\b[^>]*\b(?:src|href)="(?<url>[^"]*)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceRegex();

    [GeneratedRegex("""<script\b(?<attributes>[^>]*)>(?<body>.*?)</script>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptTagRegex();

    [GeneratedRegex("""\$\("(?<id>[a-z-]+)"\)""")]
    private static partial Regex ElementLookupRegex();
}
