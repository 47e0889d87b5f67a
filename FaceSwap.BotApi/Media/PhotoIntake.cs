using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// The one way a user's photo gets into the blob store, whichever path brought it (a message, a button that fetches a
/// kept face again): downloaded within Telegram's size limit, checked by <see cref="ImageIntake"/> (header, pixels,
/// decode limits, content safety), re-encoded and stored. A refusal carries the same words on every path.
/// </summary>
public sealed class PhotoIntake(BotMessenger messenger, ImageIntake intake, BlobStore blobs, ILogger<PhotoIntake> logger)
{
    public async Task<PhotoIntakeResult> TakeAsync(BotUser user, TelegramPhoto photo, BotTexts texts, CancellationToken cancellationToken)
    {
        var bytes = await messenger.DownloadAsync(photo.FileId, photo.Size, cancellationToken);
        if (bytes is null)
        {
            logger.LogInformation("Photo of chat {ChatId} refused: above Telegram's {Limit} bytes for bots", user.ChatId, BotMessenger.MaxDownloadBytes);
            return PhotoIntakeResult.Refused(texts.Format("TooBig", "> 20 MB"));
        }

        return await TakeAsync(user, bytes, texts, cancellationToken);
    }

    /// <summary>A photo already in hand (a web upload): the same checks and the same words as one from the chat.</summary>
    public async Task<PhotoIntakeResult> TakeAsync(BotUser user, byte[] bytes, BotTexts texts, CancellationToken cancellationToken)
    {
        var accepted = await intake.AcceptAsync(bytes, cancellationToken);
        if (accepted is not { Verdict: IntakeVerdict.Accepted, Image: { } image })
        {
            logger.LogInformation("Photo of chat {ChatId} refused: {Verdict} ({Reason})", user.ChatId, accepted.Verdict, accepted.Reason);
            return PhotoIntakeResult.Refused(accepted.Verdict switch
            {
                IntakeVerdict.TooLarge => texts.Format("TooBig", $"{accepted.Width}x{accepted.Height}"),
                IntakeVerdict.Unsafe => texts["UnsafeContent"],
                _ => texts["NotAnImage"],
            });
        }

        return PhotoIntakeResult.Stored(await blobs.PutAsync(user.Id, image, cancellationToken));
    }
}
