namespace FaceSwap.BotApi.Web;

/// <summary>The body of <c>POST /web/api/terms</c>: the version of the terms the user read and accepts.</summary>
public sealed record WebTermsAcceptance(string Version);
