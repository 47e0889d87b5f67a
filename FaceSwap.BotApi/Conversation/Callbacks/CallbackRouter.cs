using FaceSwap.BotApi.Payments;

namespace FaceSwap.BotApi.Conversation.Callbacks;

/// <summary>
/// Every inline button the bot sends, by its callback data, and what runs it: the one table to read (and to change)
/// when a button is added. No two lines match the same data.
/// </summary>
public sealed class CallbackRouter
{
    private readonly CallbackRoute[] _routes;

    public CallbackRouter(FaceButtons faces, ResultButtons results, ConsentButtons consent, PaymentCommands payments)
    {
        _routes =
        [
            new(ConversationKeyboards.AcceptTermsPrefix, IsPrefix: true, consent.AcceptTermsAsync),
            new(ConversationKeyboards.DeleteDataYes, IsPrefix: false, consent.DeleteDataAsync),
            new(ConversationKeyboards.DeleteDataNo, IsPrefix: false, consent.KeepDataAsync),
            new(ConversationKeyboards.SameFace, IsPrefix: false, faces.SameFaceAsync, NeedsTerms: true),
            new(ConversationKeyboards.NewFace, IsPrefix: false, faces.NewFaceAsync),
            new(ConversationKeyboards.UseFacePrefix, IsPrefix: true, faces.UseFaceAsync, NeedsTerms: true),
            new(ConversationKeyboards.DeleteFacePrefix, IsPrefix: true, faces.DeleteFaceAsync),
            new(ConversationKeyboards.AsFilePrefix, IsPrefix: true, results.SendAsFileAsync),
            new(ConversationKeyboards.PickFacePrefix, IsPrefix: true, results.PickFaceAsync, AnswerFirst: true),
            new(ConversationKeyboards.ReportPrefix, IsPrefix: true, results.ReportAsync, AnswerFirst: true),
            new(PaymentKeyboards.BuyPrefix, IsPrefix: true, async (request, cancellationToken) =>
            {
                await payments.HandleBuyButtonAsync(request.User, request.Texts, request.Data, cancellationToken);
                return null;
            }),
        ];
    }

    public IReadOnlyList<CallbackRoute> Routes => _routes;

    /// <summary>The route of a button's data and the argument after its prefix; null for data no button of the bot carries.</summary>
    public (CallbackRoute Route, string Argument)? Find(string data) =>
        _routes.FirstOrDefault(r => r.Matches(data)) is { } route ? (route, route.IsPrefix ? data[route.Data.Length..] : "") : null;
}
