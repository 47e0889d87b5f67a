namespace FaceSwap.BotApi.Web;

/// <summary><c>GET /web/api/me</c>: who is signed in, their credits, and whether they accepted the current terms.</summary>
public sealed record WebUser(long UserId, string? FirstName, int Balance, bool TermsAccepted, string TermsVersion, string TermsText);
