using System.Runtime.CompilerServices;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Conversation.Callbacks;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Payments;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.UnitTests.BotApi;

/// <summary>The button table (every button the bot sends reaches one handler) and stale buttons on a real SQLite file.</summary>
public sealed class CallbackRouterTests : IAsyncLifetime
{
    private const long Owner = 7100;
    private const long Other = 7101;
    private static readonly BotTexts Texts = new("en");

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"faceswap-callbacks-{Guid.NewGuid():N}.db");

    /// <summary>Only the table is read: the handlers' services are never reached by <see cref="CallbackRouter.Find"/>.</summary>
    private static CallbackRouter TableOnly() => new(Unused<FaceButtons>(), Unused<ResultButtons>(), Unused<ConsentButtons>(), Unused<PaymentCommands>());

    private static T Unused<T>() => (T)RuntimeHelpers.GetUninitializedObject(typeof(T));

    public static TheoryData<string, string, string> Buttons => new()
    {
        { ConversationKeyboards.SameFace, nameof(FaceButtons.SameFaceAsync), "" },
        { ConversationKeyboards.NewFace, nameof(FaceButtons.NewFaceAsync), "" },
        { ConversationKeyboards.UseFacePrefix + "42", nameof(FaceButtons.UseFaceAsync), "42" },
        { ConversationKeyboards.DeleteFacePrefix + "42", nameof(FaceButtons.DeleteFaceAsync), "42" },
        { ConversationKeyboards.AsFilePrefix + "job1", nameof(ResultButtons.SendAsFileAsync), "job1" },
        { ConversationKeyboards.PickFacePrefix + "job1:2", nameof(ResultButtons.PickFaceAsync), "job1:2" },
        { ConversationKeyboards.ReportPrefix + "job1", nameof(ResultButtons.ReportAsync), "job1" },
        { ConversationKeyboards.AcceptTermsPrefix + "3", nameof(ConsentButtons.AcceptTermsAsync), "3" },
        { ConversationKeyboards.DeleteDataYes, nameof(ConsentButtons.DeleteDataAsync), "" },
        { ConversationKeyboards.DeleteDataNo, nameof(ConsentButtons.KeepDataAsync), "" },
    };

    [Theory]
    [MemberData(nameof(Buttons))]
    public void Each_button_reaches_its_handler_with_what_follows_the_prefix(string data, string handler, string argument)
    {
        var (route, found) = TableOnly().Find(data) ?? throw new Xunit.Sdk.XunitException($"{data} has no route");

        Assert.Equal(handler, route.Handle.Method.Name);
        Assert.Equal(argument, found);
    }

    [Fact]
    public void A_buy_button_reaches_the_payments_with_its_whole_data()
    {
        var (route, argument) = TableOnly().Find(PaymentKeyboards.StarsPrefix + "small")!.Value;

        Assert.Equal(PaymentKeyboards.BuyPrefix, route.Data);
        Assert.Equal("stars:small", argument);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nonsense")]
    [InlineData("again:faces")] // an exact button's data with more after it
    [InlineData("face:")]
    [InlineData("AGAIN:FACE")]
    public void Data_no_button_carries_finds_no_route(string data) => Assert.Null(TableOnly().Find(data));

    [Fact]
    public void Every_button_of_every_keyboard_finds_exactly_one_route()
    {
        var router = TableOnly();
        var keyboards = new[]
        {
            ConversationKeyboards.AfterResult(Texts, "0123456789abcdef"),
            ConversationKeyboards.AcceptTerms(Texts, "2"),
            ConversationKeyboards.ChooseFace(Texts, "0123456789abcdef", 3),
            ConversationKeyboards.ConfirmDelete(Texts),
            ConversationKeyboards.SavedFaces([(1, "me"), (2, "you")]),
            PaymentKeyboards.Packs(Texts, [new CreditPack { Id = "small", Credits = 10, Stars = 50 }]),
        };
        var data = keyboards.SelectMany(k => k.InlineKeyboard).SelectMany(row => row).Select(b => b.CallbackData!).ToList();

        Assert.Equal(16, data.Count);
        Assert.All(data, d => Assert.Single(router.Routes, r => r.Matches(d)));
    }

    [Fact]
    public void Only_the_buttons_that_fetch_a_photo_wait_for_the_terms_and_only_those_that_send_their_own_messages_are_answered_first()
    {
        var routes = TableOnly().Routes;

        Assert.Equal([ConversationKeyboards.SameFace, ConversationKeyboards.UseFacePrefix], routes.Where(r => r.NeedsTerms).Select(r => r.Data));
        Assert.Equal([ConversationKeyboards.PickFacePrefix, ConversationKeyboards.ReportPrefix], routes.Where(r => r.AnswerFirst).Select(r => r.Data));
    }

    [Fact]
    public async Task A_saved_face_button_of_a_deleted_or_foreign_face_changes_nothing_and_says_nothing()
    {
        long foreign;
        await using (var db = NewContext())
        {
            var face = new SavedFace { UserId = Other, Name = "theirs", FileId = "file-other", CreatedAt = DateTimeOffset.UtcNow };
            db.SavedFaces.Add(face);
            await db.SaveChangesAsync();
            foreign = face.Id;
        }

        await using (var db = NewContext())
        {
            // The photo intake and blobs are never reached for a face the user does not have.
            var faces = new FaceButtons(db, null!, null!);
            var user = new BotUser { Id = Owner, ChatId = Owner, Step = ConversationStep.AwaitingFace };
            foreach (var data in new[] { $"{foreign}", "999999", "not-a-number" })
            {
                Assert.Null(await faces.UseFaceAsync(new CallbackRequest(user, Texts, ConversationKeyboards.UseFacePrefix + data, data), CancellationToken.None));
                Assert.Null(await faces.DeleteFaceAsync(new CallbackRequest(user, Texts, ConversationKeyboards.DeleteFacePrefix + data, data), CancellationToken.None));
            }

            await db.SaveChangesAsync();
            Assert.Equal(ConversationStep.AwaitingFace, user.Step);
            Assert.Null(user.FaceFileId);
        }

        await using (var db = NewContext())
        {
            Assert.Equal("theirs", (await db.SavedFaces.SingleAsync()).Name);
        }
    }

    [Fact]
    public async Task A_face_choice_button_of_a_job_no_longer_waiting_or_foreign_queues_nothing_and_says_nothing()
    {
        await using (var db = NewContext())
        {
            db.Jobs.Add(new SwapJob { Id = "queuedjob", UserId = Owner, ChatId = Owner, FaceBlobKey = "f", TargetBlobKey = "t", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        await using (var db = NewContext())
        {
            // Blobs, messenger, lifecycle and reports are never reached: nothing is requeued or sent.
            var results = new ResultButtons(db, null!, null!, null!, null!);
            var user = new BotUser { Id = Owner, ChatId = Owner };
            var stranger = new BotUser { Id = Other, ChatId = Other };
            foreach (var (who, argument) in new[] { (user, "queuedjob:0"), (user, "queuedjob:all"), (stranger, "queuedjob:0"), (user, "nojob:0"), (user, "queuedjob"), (user, "queuedjob:-1") })
            {
                Assert.Null(await results.PickFaceAsync(new CallbackRequest(who, Texts, ConversationKeyboards.PickFacePrefix + argument, argument), CancellationToken.None));
            }
        }

        await using (var db = NewContext())
        {
            var job = await db.Jobs.SingleAsync();
            Assert.NotEqual(JobStatus.AwaitingChoice, job.Status);
            Assert.Null(job.StatusMessageId);
        }
    }

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    private FaceSwapDbContext NewContext() =>
        new(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite($"Data Source={_path}").Options);
}
