namespace FaceSwap.BotApi.Web;

/// <summary>A face saved in the chat (<c>/saveface</c>), which a web swap can use instead of an uploaded face.</summary>
public sealed record WebSavedFace(long Id, string Name);
