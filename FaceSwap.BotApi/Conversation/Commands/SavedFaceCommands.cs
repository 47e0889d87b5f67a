using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>/faces (the saved faces as buttons) and /saveface NAME (keeps the current face under a name).</summary>
public sealed class SavedFaceCommands(FaceSwapDbContext db, BotMessenger messenger, IOptions<SwapLimitsOptions> limits)
{
    public async Task ListAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        var faces = await db.SavedFaces.Where(f => f.UserId == user.Id).OrderBy(f => f.Name)
            .Select(f => new { f.Id, f.Name }).ToListAsync(cancellationToken);
        if (faces.Count == 0)
        {
            await messenger.SendTextAsync(user.ChatId, texts["FacesEmpty"], cancellationToken: cancellationToken);
            return;
        }

        await messenger.SendTextAsync(user.ChatId, texts["FacesHeader"],
            ConversationKeyboards.SavedFaces(faces.Select(f => (f.Id, f.Name))), cancellationToken);
    }

    public async Task SaveAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (user, texts, name) = (request.User, request.Texts, request.Argument);
        string reply;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 32)
        {
            reply = texts["FaceSaveName"];
        }
        else if (user.FaceFileId is null)
        {
            reply = texts["FaceSaveNoFace"];
        }
        else if (await db.SavedFaces.CountAsync(f => f.UserId == user.Id, cancellationToken) >= limits.Value.MaxSavedFaces)
        {
            reply = texts.Format("FaceSaveLimit", limits.Value.MaxSavedFaces);
        }
        else
        {
            var existing = await db.SavedFaces.SingleOrDefaultAsync(f => f.UserId == user.Id && f.Name == name, cancellationToken);
            if (existing is null)
            {
                db.SavedFaces.Add(new SavedFace { UserId = user.Id, Name = name, FileId = user.FaceFileId, CreatedAt = DateTimeOffset.UtcNow });
            }
            else
            {
                existing.FileId = user.FaceFileId;
            }

            await db.SaveChangesAsync(cancellationToken);
            reply = texts.Format("FaceSaved", name);
        }

        await messenger.SendTextAsync(user.ChatId, reply, cancellationToken: cancellationToken);
    }
}
