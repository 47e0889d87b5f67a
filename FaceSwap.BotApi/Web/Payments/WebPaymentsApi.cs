using System.Security.Claims;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace FaceSwap.BotApi.Web.Payments;

/// <summary>
/// Card payments on the web app: the packs, a Stripe Checkout Session per purchase, and the user's payments. Mapped on
/// the web app's <c>/web/api</c> group, which signs the user in and checks the antiforgery token; the credits come
/// from Stripe's signed webhook (<see cref="StripeWebhookApi"/>), never from the buyer's return to the page.
/// </summary>
public static class WebPaymentsApi
{
    /// <summary>The page Checkout returns the buyer to, with <c>?paid=1</c> or <c>?cancelled=1</c>.</summary>
    public const string CreditsPage = "/web/credits.html";

    public const int MaxPaymentsListed = 50;

    public static RouteGroupBuilder MapWebPayments(this RouteGroupBuilder group)
    {
        group.MapGet("/packs", GetPacks);
        group.MapPost("/checkout", CheckoutAsync);
        group.MapGet("/payments", GetPaymentsAsync);
        return group;
    }

    public static Ok<WebPackList> GetPacks(IOptions<PaymentsOptions> payments, IOptions<StripeOptions> stripe) =>
        TypedResults.Ok(new WebPackList(stripe.Value.Enabled, payments.Value.Packs.Select(WebPack.From).ToList()));

    public static async Task<Results<Ok<WebCheckoutSession>, ProblemHttpResult>> CheckoutAsync(
        WebCheckoutRequest request, ClaimsPrincipal principal, HttpContext http, StripeCheckout checkout, FaceSwapDbContext db,
        UserDirectory users, IOptions<PaymentsOptions> payments, IOptions<TelegramOptions> telegram, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (WebBuyer.UserIdOf(principal) is not { } userId)
        {
            return NoUser();
        }

        if (payments.Value.FindPack(request.PackId ?? "") is not { } pack)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown credit pack",
                detail: $"There is no credit pack '{request.PackId}'. GET /web/api/packs lists the packs on sale.");
        }

        if (!checkout.Enabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Card payments are not available",
                detail: "Card payments are not configured on this bot (Stripe:SecretKey is not set). Every pack is on sale for Telegram Stars in the chat: send /buy to the bot.");
        }

        var user = await WebBuyer.GetOrCreateAsync(userId, principal, db, users, cancellationToken);
        if (user.BannedAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Account blocked",
                detail: "This account was blocked by the operators and cannot buy credits.");
        }

        var page = new Uri(PublicBase(telegram.Value, http.Request), CreditsPage);
        try
        {
            var url = await checkout.CreateSessionAsync(user, pack, cancellationToken,
                successUrl: new Uri(page, "?paid=1"), cancelUrl: new Uri(page, "?cancelled=1"));
            return TypedResults.Ok(new WebCheckoutSession(url));
        }
        catch (Exception ex) when (ex is StripeException or HttpRequestException)
        {
            // Nothing was recorded: the attempt is noted only after Stripe made the session.
            loggers.CreateLogger(typeof(WebPaymentsApi)).LogWarning(ex, "Stripe refused a Checkout Session for user {UserId}, pack {PackId}", userId, pack.Id);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Stripe did not open the payment",
                detail: "Stripe, the card payment provider, did not answer or refused to open the payment page. Nothing was charged; try again in a minute, or buy the pack for Telegram Stars in the chat (/buy).");
        }
    }

    public static async Task<Results<Ok<List<WebPayment>>, ProblemHttpResult>> GetPaymentsAsync(
        ClaimsPrincipal principal, FaceSwapDbContext db, CancellationToken cancellationToken)
    {
        if (WebBuyer.UserIdOf(principal) is not { } userId)
        {
            return NoUser();
        }

        // Newest first: ids are given in the order the payments were recorded.
        var list = await db.Set<Payment>().AsNoTracking()
            .Where(p => p.UserId == userId)
            .OrderByDescending(p => p.Id)
            .Take(MaxPaymentsListed)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(WebPayment.From).ToList());
    }

    /// <summary>The bot API's public address (<c>Telegram:PublicUrl</c>); local runs without one use the request's own.</summary>
    private static Uri PublicBase(TelegramOptions telegram, HttpRequest request) =>
        telegram.PublicUrl ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    private static ProblemHttpResult NoUser() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
            detail: "The request carries no Telegram user id (claim NameIdentifier). Sign in on the web app first.");
}
