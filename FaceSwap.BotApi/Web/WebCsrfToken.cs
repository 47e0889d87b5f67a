namespace FaceSwap.BotApi.Web;

/// <summary><c>GET /web/api/csrf</c>: the antiforgery token to send in <paramref name="HeaderName"/> on every state-changing request.</summary>
public sealed record WebCsrfToken(string Token, string HeaderName);
