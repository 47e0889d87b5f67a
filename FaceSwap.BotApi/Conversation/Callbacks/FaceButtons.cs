using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Conversation.Callbacks;

/// <summary>The face-choice buttons: the same face again, a new one, a saved face used or deleted.</summary>
public sealed class FaceButtons(FaceSwapDbContext db, BlobStore blobs, PhotoIntake photos)
{
    public async Task<string?> SameFaceAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        string? reply = null;
        user.Step = ConversationStep.AwaitingTarget;
        if (user.FaceBlobKey is null || await blobs.GetAsync(user.FaceBlobKey, cancellationToken) is null)
        {
            // The stored face expired: fetched again from Telegram, through the same intake as a new upload.
            var fetched = user.FaceFileId is null ? null : await photos.TakeAsync(user, new TelegramPhoto(user.FaceFileId), texts, cancellationToken);
            user.FaceBlobKey = fetched?.BlobKey;
            user.Step = user.FaceBlobKey is null ? ConversationStep.AwaitingFace : ConversationStep.AwaitingTarget;
            reply = fetched?.Refusal;
        }

        return reply ?? (user.Step == ConversationStep.AwaitingTarget ? texts["SendNewTarget"] : texts["SendFaceFirst"]);
    }

    public Task<string?> NewFaceAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        request.User.Step = ConversationStep.AwaitingFace;
        return Task.FromResult<string?>(request.Texts["SendNewFace"]);
    }

    public async Task<string?> UseFaceAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        if (await FindAsync(request, cancellationToken) is not { } chosen)
        {
            return null; // an old or foreign button: nothing to do
        }

        // Refused (limits tightened since it was saved, or Telegram no longer serves it), the current face stays.
        var fetched = await photos.TakeAsync(user, new TelegramPhoto(chosen.FileId), texts, cancellationToken);
        if (fetched.BlobKey is { } faceKey)
        {
            user.FaceBlobKey = faceKey;
            user.FaceFileId = chosen.FileId;
            user.Step = ConversationStep.AwaitingTarget;
        }

        return fetched.Refusal ?? texts.Format("FaceChosen", chosen.Name);
    }

    public async Task<string?> DeleteFaceAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, cancellationToken) is not { } doomed)
        {
            return null; // already deleted, or not theirs
        }

        db.SavedFaces.Remove(doomed);
        return request.Texts.Format("FaceDeleted", doomed.Name);
    }

    /// <summary>The user's saved face the button names.</summary>
    private async Task<SavedFace?> FindAsync(CallbackRequest request, CancellationToken cancellationToken) =>
        long.TryParse(request.Argument, out var id)
            ? await db.SavedFaces.SingleOrDefaultAsync(f => f.Id == id && f.UserId == request.User.Id, cancellationToken)
            : null;
}
