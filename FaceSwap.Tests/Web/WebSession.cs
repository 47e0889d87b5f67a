using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace FaceSwap.Tests.Web;

/// <summary>
/// A browser's view of the web app for HTTP tests: its own cookies (kept by hand, since the session cookie is Secure
/// outside Development and HttpClient would not send it over the test's plain HTTP), no automatic redirects.
/// </summary>
public sealed class WebSession : IDisposable
{
    private readonly BotApiHost _host;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly HttpClient _http;

    public WebSession(BotApiHost host)
    {
        _host = host;
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The Set-Cookie headers of the last sign-in, to check the session cookie's flags.</summary>
    public IReadOnlyList<string> SignInCookies { get; private set; } = [];

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        var response = await _http.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';')[0].Split('=', 2);
            if (pair[1].Length == 0)
            {
                _cookies.Remove(pair[0]);
            }
            else
            {
                _cookies[pair[0]] = pair[1];
            }
        }

        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>"Sign in with Telegram" as a browser does it: to the login page (the emulator's stand-in), pick the user, and back.</summary>
    public async Task<HttpResponseMessage> SignInAsync(long userId, string firstName)
    {
        var toLogin = await GetAsync("/web/auth/login");
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var login = QueryHelpers.ParseQuery(toLogin.Headers.Location!.Query);
        using var emulator = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Emulator.BaseAddress };
        var picked = await emulator.GetAsync($"/login/confirm?bot_id={login["bot_id"]}&return_to={Uri.EscapeDataString(login["return_to"]!)}" +
                                             $"&id={userId}&first_name={Uri.EscapeDataString(firstName)}");
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        // What /web/signin.html's script does with the fragment: the JSON's fields as the query of /web/auth/telegram.
        var returnedTo = picked.Headers.Location!;
        Assert.Equal("/web/signin.html", returnedTo.AbsolutePath);
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            Base64Url.DecodeFromChars(returnedTo.Fragment.AsSpan(returnedTo.Fragment.IndexOf('=') + 1)))!;
        var back = await GetAsync("/web/auth/telegram?" + string.Join('&', fields.Select(f =>
            f.Key + "=" + Uri.EscapeDataString(f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString()! : f.Value.GetRawText()))));
        SignInCookies = back.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToList() : [];
        return back;
    }

    /// <summary>The antiforgery token from <c>GET /web/api/csrf</c> (it also sets the antiforgery cookie).</summary>
    public async Task<string> CsrfTokenAsync()
    {
        var response = await GetAsync("/web/api/csrf");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, HttpContent? content, string? csrfToken)
    {
        // Expect: 100-continue, so a body the server refuses unread (413) is not sent into a closed connection.
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = true;
        if (csrfToken is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", csrfToken);
        }

        return await SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
