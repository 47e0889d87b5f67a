using System.Text;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.BotApi;

/// <summary>A photo a button fetches again (a saved face) passes the same intake, and is refused in the same words, as one sent in a message.</summary>
public sealed class PhotoIntakeTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string, string> RefusedFiles => new()
    {
        { "hello, I am no JPEG", "fake.jpg", "That file is not an image" },
        // A tiny file whose GIF header claims 25120x29813 pixels: refused from the header, nothing decoded.
        { "GIF89a but truncated", "huge.gif", "That image is too big (25120x29813)" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task A_saved_face_button_refuses_what_the_message_path_refuses_with_the_same_reason(string content, string fileName, string reason)
    {
        await using var host = await BotApiHost.StartAsync();
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6101;
        await users.AskAsync(userId, "/start", Reply);
        await users.AcceptTermsAsync(userId);

        var before = (await users.BotMessagesAsync(userId)).Count;
        var fileId = await users.SendPhotoAsync(userId, Encoding.UTF8.GetBytes(content), fileName, asDocument: true);
        var messageReply = EmulatorClient.Text(await users.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before));

        // A saved face is only a Telegram file id: whatever Telegram serves for it is fetched again when the button is
        // pressed (and intake limits may have changed since it was saved). Here it names the file just refused.
        var buttonReply = EmulatorClient.Text(await PressSavedFaceAsync(host, users, userId, fileId));

        Assert.StartsWith(reason, messageReply);
        Assert.Equal(messageReply, buttonReply);
        var user = await host.WithDatabaseAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Null(user.FaceBlobKey);
        Assert.Equal(ConversationStep.AwaitingFace, user.Step);
    }

    [Fact]
    public async Task A_saved_face_button_fetches_nothing_before_the_terms_are_accepted()
    {
        await using var host = await BotApiHost.StartAsync();
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6102;
        await users.AskAsync(userId, "/start", Reply);
        var fileId = await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Before your first swap") == true, Reply);

        // A face saved under an older version of the terms: the new version must be accepted before it is used.
        var reply = await PressSavedFaceAsync(host, users, userId, fileId);

        Assert.StartsWith("Before your first swap, please read and accept the terms below.", EmulatorClient.Text(reply));
        Assert.Contains(EmulatorClient.ButtonData(reply), d => d.StartsWith(ConversationKeyboards.AcceptTermsPrefix, StringComparison.Ordinal));
        var user = await host.WithDatabaseAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Null(user.FaceBlobKey);
        Assert.Null(user.FaceFileId);
    }

    /// <summary>Saves <paramref name="fileId"/> as a face of the user's, presses its button under /faces, and returns the bot's answer.</summary>
    private static async Task<System.Text.Json.JsonElement> PressSavedFaceAsync(BotApiHost host, EmulatorClient users, long userId, string fileId)
    {
        var faceId = await host.WithDatabaseAsync(async db =>
        {
            var face = new SavedFace { UserId = userId, Name = "Kept", FileId = fileId, CreatedAt = DateTimeOffset.UtcNow };
            db.SavedFaces.Add(face);
            await db.SaveChangesAsync();
            return face.Id;
        });
        var list = await users.AskAsync(userId, "/faces", Reply);
        var before = (await users.BotMessagesAsync(userId)).Count;
        await users.PressButtonAsync(userId, EmulatorClient.MessageId(list), ConversationKeyboards.UseFacePrefix + faceId);
        return await users.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
    }
}
