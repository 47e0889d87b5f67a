using System.Globalization;
using System.Security.Claims;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using FaceSwap.BotApi.Web.Payments;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Web;

/// <summary>
/// <c>/web/api</c>: the signed-in user's account, terms, saved faces, swaps and history. Every route needs the session
/// (scheme FaceSwapWeb) and every state-changing one the CSRF header; the account's rate limit is on the group.
/// </summary>
public static class WebApi
{
    public static WebApplication MapWebApi(this WebApplication app)
    {
        app.MapWebAuthApi();
        var group = app.MapGroup("/web/api").WithTags("Web")
            .RequireAuthorization()
            .RequireRateLimiting(WebExtensions.AccountRateLimit)
            .AddEndpointFilter<WebAntiforgeryFilter>();
        group.MapGet("/csrf", Csrf);
        group.MapGet("/me", MeAsync);
        group.MapPost("/terms", AcceptTermsAsync);
        group.MapGet("/faces", FacesAsync);
        group.MapPost("/swaps", StartSwapAsync);
        group.MapGet("/swaps", HistoryAsync);
        group.MapGet("/swaps/{id}", SwapAsync);
        group.MapPost("/swaps/{id}/send-to-chat", SendToChatAsync);
        group.MapWebPayments();
        return app;
    }

    public static Ok<WebCsrfToken> Csrf(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Ok(new WebCsrfToken(antiforgery.GetAndStoreTokens(context).RequestToken!, WebExtensions.CsrfHeaderName));

    public static async Task<Results<Ok<WebUser>, ProblemHttpResult>> MeAsync(ClaimsPrincipal principal, FaceSwapDbContext db, CreditLedger ledger,
        TermsOfUse terms, CancellationToken cancellationToken)
    {
        if (await UserOfAsync(principal, db, cancellationToken) is not { } user)
        {
            return UnknownUser();
        }

        var texts = new BotTexts(user.LanguageCode);
        return TypedResults.Ok(new WebUser(user.Id, user.FirstName, await ledger.BalanceAsync(user.Id, cancellationToken), terms.HasAccepted(user),
            terms.Version, texts.Format("Terms", terms.Version)));
    }

    /// <summary>The same acceptance as the chat's button: of the current version only, recorded once.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> AcceptTermsAsync(WebTermsAcceptance acceptance, ClaimsPrincipal principal,
        FaceSwapDbContext db, TermsOfUse terms, CancellationToken cancellationToken)
    {
        if (await UserOfAsync(principal, db, cancellationToken) is not { } user)
        {
            return UnknownUser();
        }

        if (!terms.Accept(user, acceptance.Version))
        {
            return TypedResults.Problem(title: "Old terms", detail: $"The terms have changed: please read and accept version {terms.Version}.",
                statusCode: StatusCodes.Status409Conflict);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<WebSavedFace[]>> FacesAsync(ClaimsPrincipal principal, FaceSwapDbContext db, CancellationToken cancellationToken)
    {
        var userId = UserIdOf(principal);
        return TypedResults.Ok(await db.SavedFaces.AsNoTracking().Where(f => f.UserId == userId).OrderBy(f => f.Name)
            .Select(f => new WebSavedFace(f.Id, f.Name)).ToArrayAsync(cancellationToken));
    }

    /// <summary>
    /// A multipart form: <c>face</c> (a file) or <c>savedFaceId</c>, and <c>target</c>. Over <c>Web:MaxUploadBytes</c> is a
    /// 413 before anything is read; each photo then passes the chat's checks and gets the chat's words when refused.
    /// </summary>
    public static async Task<Results<Accepted<WebSwapView>, ProblemHttpResult>> StartSwapAsync(HttpContext context, ClaimsPrincipal principal,
        FaceSwapDbContext db, TermsOfUse terms, WebSwaps swaps, IOptions<WebOptions> web, CancellationToken cancellationToken)
    {
        var limit = web.Value.MaxUploadBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        if (await UserOfAsync(principal, db, cancellationToken) is not { } user)
        {
            return UnknownUser();
        }

        var texts = new BotTexts(user.LanguageCode);
        if (!terms.HasAccepted(user))
        {
            return TypedResults.Problem(title: "Terms not accepted", detail: texts.Format("Terms", terms.Version), statusCode: StatusCodes.Status403Forbidden);
        }

        if (user.BannedAt is not null)
        {
            return TypedResults.Problem(title: "Account banned", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!context.Request.HasFormContentType)
        {
            return TypedResults.Problem(title: "Not a form", detail: "Send the photos as multipart/form-data.", statusCode: StatusCodes.Status400BadRequest);
        }

        // The service's 1 MB body limit is raised for this request only, to the uploads' own limit (a chunked body is held to it too).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit }, cancellationToken);
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException)
        {
            return TooLarge(limit);
        }

        var face = form.Files.GetFile("face") is { Length: > 0 } faceFile ? await ReadAsync(faceFile, cancellationToken) : null;
        long? savedFaceId = long.TryParse(form["savedFaceId"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        if (form.Files.GetFile("target") is not { Length: > 0 } targetFile)
        {
            return TypedResults.Problem(title: "No target photo", detail: texts["SendPhotoPlease"], statusCode: StatusCodes.Status400BadRequest);
        }

        var (job, refusal) = await swaps.StartAsync(user, face, savedFaceId, await ReadAsync(targetFile, cancellationToken), cancellationToken);
        if (job is null)
        {
            return TypedResults.Problem(title: "Swap refused", detail: refusal, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var view = await swaps.FindAsync(user.Id, job.Id, cancellationToken);
        return TypedResults.Accepted($"/web/api/swaps/{job.Id}", view);
    }

    public static async Task<Results<Ok<WebSwapView>, NotFound>> SwapAsync(string id, ClaimsPrincipal principal, WebSwaps swaps,
        CancellationToken cancellationToken) =>
        await swaps.FindAsync(UserIdOf(principal), id, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Ok<IReadOnlyList<WebSwapView>>> HistoryAsync(ClaimsPrincipal principal, WebSwaps swaps, CancellationToken cancellationToken) =>
        TypedResults.Ok(await swaps.HistoryAsync(UserIdOf(principal), cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> SendToChatAsync(string id, ClaimsPrincipal principal, FaceSwapDbContext db,
        WebSwaps swaps, CancellationToken cancellationToken)
    {
        if (await UserOfAsync(principal, db, cancellationToken) is not { } user)
        {
            return UnknownUser();
        }

        try
        {
            return await swaps.SendToChatAsync(user, id, cancellationToken)
                ? TypedResults.NoContent()
                : TypedResults.Problem(title: "No result to send", detail: "This swap has no result kept any more.", statusCode: StatusCodes.Status404NotFound);
        }
        catch (ChatUnreachableException)
        {
            // Blocked, or never started: Telegram lets the bot write only once the user allows it.
            return TypedResults.Problem(title: "Chat unreachable",
                detail: "The bot cannot write to you in Telegram: open the chat with the bot, press Start, and try again.",
                statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static long UserIdOf(ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static Task<BotUser?> UserOfAsync(ClaimsPrincipal principal, FaceSwapDbContext db, CancellationToken cancellationToken)
    {
        var userId = UserIdOf(principal);
        return db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
    }

    private static ProblemHttpResult UnknownUser() =>
        TypedResults.Problem(title: "Unknown user", detail: "Your data was deleted: please sign in again.", statusCode: StatusCodes.Status401Unauthorized);

    private static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(title: "Upload too large",
            detail: $"The photos are larger than {limit / (1024 * 1024)} MB together. Please send smaller photos.", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
