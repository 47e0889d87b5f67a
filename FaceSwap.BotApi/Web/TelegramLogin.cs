namespace FaceSwap.BotApi.Web;

/// <summary>A Telegram Login Widget sign-in whose signature and age were checked.</summary>
public sealed record TelegramLogin(long UserId, string FirstName, string? Username, DateTimeOffset AuthDate);
