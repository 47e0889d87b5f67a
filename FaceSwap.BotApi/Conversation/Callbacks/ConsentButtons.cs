using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Privacy;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Conversation.Callbacks;

/// <summary>The buttons of what the user agrees to: the terms of use, and the answer to /deletedata.</summary>
public sealed class ConsentButtons(TermsOfUse terms, UserDataEraser eraser, IOptions<BackupOptions> backups)
{
    public async Task<string?> AcceptTermsAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        if (terms.Accept(request.User, request.Argument))
        {
            return request.Texts["TermsAccepted"];
        }

        await terms.SendAsync(request.User, request.Texts, null, cancellationToken); // a button under an older text: show the current one
        return null;
    }

    public async Task<string?> DeleteDataAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        await eraser.EraseAsync(request.User, cancellationToken);
        return request.Texts.Format("Deleted", backups.Value.KeepDailyDays);
    }

    public Task<string?> KeepDataAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(request.Texts["DeleteCancelled"]);
}
