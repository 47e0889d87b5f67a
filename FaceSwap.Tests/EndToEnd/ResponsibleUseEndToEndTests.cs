using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>Terms before the first swap, reports, bans and /deletedata, through the emulator (issue #14).</summary>
[Collection(FaceSwapAppCollection.Name)]
public sealed class ResponsibleUseEndToEndTests(FaceSwapAppFixture app)
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SwapDone = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Photos_before_the_terms_are_answered_with_the_terms_and_nothing_is_charged_or_processed()
    {
        const long userId = 7301;
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        var terms = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply);
        Assert.StartsWith("Before your first swap", EmulatorClient.Text(terms));
        Assert.Contains("No children", EmulatorClient.Text(terms));
        var accept = Assert.Single(EmulatorClient.ButtonData(terms));
        Assert.StartsWith("terms:accept:", accept);

        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png");
        Assert.StartsWith("Before your first swap", EmulatorClient.Text(await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: 1)));
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/balance", Reply)));
        Assert.Equal(0L, await app.QueryAsync<long>("SELECT COUNT(*) FROM jobs WHERE UserId = $u", ("$u", userId)));
        Assert.Equal(0L, await app.QueryAsync<long>("SELECT COUNT(*) FROM users WHERE Id = $u AND FaceBlobKey IS NOT NULL", ("$u", userId)));

        // /terms shows the same text; the button accepts it, stored with its version and time.
        Assert.StartsWith("Terms of use (version", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/terms", Reply)));
        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(terms), accept);
        Assert.StartsWith("Thank you. Send a photo of the face", EmulatorClient.Text(await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before)));
        Assert.Equal(accept["terms:accept:".Length..], await app.QueryAsync<string>("SELECT TermsVersion FROM users WHERE Id = $u", ("$u", userId)));
        Assert.Equal(1L, await app.QueryAsync<long>("SELECT COUNT(*) FROM users WHERE Id = $u AND TermsAcceptedAt IS NOT NULL", ("$u", userId)));

        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png");
        var result = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, SwapDone);
        Assert.Contains("Credits left: 2", EmulatorClient.Text(result));

        // A new version of the terms (here: the stored acceptance is of an older one) asks again before the next swap.
        await app.QueryAsync<long>("UPDATE users SET TermsVersion = '2000-01-01' WHERE Id = $u; SELECT changes()", ("$u", userId));
        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        var again = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("Before your first swap", EmulatorClient.Text(again));
        Assert.Equal(accept, Assert.Single(EmulatorClient.ButtonData(again)));
    }

    [Fact]
    public async Task A_report_reaches_the_alert_chat_and_an_operator_bans_and_unbans()
    {
        const long userId = 7302;
        const long operatorId = FaceSwapAppFixture.OperatorId;
        // The operator wrote to the bot once, as an alert chat must have (else Telegram answers "chat not found").
        await app.Emulator.AskAsync(operatorId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png");
        var result = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, SwapDone);
        var report = EmulatorClient.ButtonData(result).Single(b => b.StartsWith("report:", StringComparison.Ordinal));
        var jobId = report["report:".Length..];

        var operatorBefore = (await app.Emulator.BotMessagesAsync(operatorId)).Count;
        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(result), report);
        Assert.StartsWith("Thank you: your report", EmulatorClient.Text(await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before)));
        var summary = await app.Emulator.WaitForBotMessageAsync(operatorId, m => EmulatorClient.Text(m)?.StartsWith("Report:") == true, Reply, skip: operatorBefore);
        Assert.Contains($"job {jobId} of user {userId}", EmulatorClient.Text(summary));
        foreach (var part in new[] { "face", "target", "result" })
        {
            var photo = await app.Emulator.WaitForBotMessageAsync(operatorId, m => EmulatorClient.Text(m) == $"{part} of job {jobId}", Reply, skip: operatorBefore);
            Assert.NotNull(EmulatorClient.PhotoFileId(photo));
        }

        // Not an operator: /ban is an unknown command.
        Assert.StartsWith("I don't know that command", EmulatorClient.Text(await app.Emulator.AskAsync(userId, $"/ban {operatorId}", Reply)));

        var banned = await app.Emulator.AskAsync(operatorId, $"/ban {userId} fake nudes of a colleague", Reply);
        Assert.Equal($"User {userId} is banned (fake nudes of a colleague). /unban {userId} lifts it.", EmulatorClient.Text(banned));

        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png");
        await app.Emulator.SendTextAsync(userId, "/balance");
        Assert.StartsWith("This account is banned", EmulatorClient.Text(await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before)));

        Assert.Equal($"User {userId} is no longer banned.", EmulatorClient.Text(await app.Emulator.AskAsync(operatorId, $"/unban {userId}", Reply)));
        var balance = await app.Emulator.AskAsync(userId, "/balance", Reply);
        // Updates of a chat are handled in order: the answer to /balance comes after the banned updates were handled,
        // and they got one notice between them, no swap and no charge.
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(balance));
        var whileBanned = (await app.Emulator.BotMessagesAsync(userId)).Skip(before).Select(EmulatorClient.Text).ToList();
        Assert.Equal(["This account is banned for breaking the terms of use. Nothing you send is processed.", "You have 2 credits."], whileBanned);

        Assert.Equal("Reported,Banned,Unbanned", await app.QueryAsync<string>(
            "SELECT group_concat(CASE Action WHEN 0 THEN 'Reported' WHEN 1 THEN 'Banned' WHEN 2 THEN 'Unbanned' END, ',') FROM (SELECT Action FROM moderation_log WHERE UserId = $u ORDER BY Id)",
            ("$u", userId)));
        Assert.Equal(jobId, await app.QueryAsync<string>("SELECT JobId FROM moderation_log WHERE UserId = $u AND Action = 0", ("$u", userId)));
    }

    [Fact]
    public async Task After_deletedata_the_name_and_file_ids_are_in_no_table_and_no_redis_key()
    {
        const long userId = 7303;
        const string name = "Zebulon7303Quill";
        await app.Emulator.AcceptTermsAsync(userId, firstName: name);
        var faceFileId = await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        Assert.StartsWith("Saved", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/saveface me", Reply, firstName: name)));
        var targetFileId = await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png", asDocument: true);
        var result = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, SwapDone);
        var jobId = EmulatorClient.ButtonData(result).Single(b => b.StartsWith("report:", StringComparison.Ordinal))["report:".Length..];
        // A new face waits in Redis for its target.
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(result), "again:new");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Send the new face") == true, Reply);
        var facesBefore = (await app.Emulator.BotMessagesAsync(userId)).Count;
        var secondFaceFileId = await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face2.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply, skip: facesBefore);

        await using var redis = await ConnectionMultiplexer.ConnectAsync((await app.App.GetConnectionStringAsync("redis"))!);
        Assert.NotEmpty(await UserBlobKeysAsync(redis, userId));

        var confirm = await app.Emulator.AskAsync(userId, "/deletedata", Reply, firstName: name);
        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(confirm), "deletedata:yes");
        Assert.StartsWith("Done: your name, photos", EmulatorClient.Text(await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before)));

        // The database file and its write-ahead log, read as bytes, hold neither the name nor any file id.
        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var secret in new[] { name, faceFileId, targetFileId, secondFaceFileId })
            {
                Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} still holds '{secret}'");
            }
        }

        // Redis: no photo of theirs, no result or preview of their job, no queue entry.
        Assert.Empty(await UserBlobKeysAsync(redis, userId));
        var db = redis.GetDatabase();
        Assert.False(await db.KeyExistsAsync(Contracts.QueueNames.ResultBlobKey(jobId)));
        Assert.DoesNotContain(await db.StreamRangeAsync(Contracts.QueueNames.Jobs), e => e["key"] == jobId);

        // What the law requires stays: the credit ledger (the swap was paid, so 2 of 3 free credits are left).
        Assert.Equal("No swaps yet.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/history", Reply)));
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/balance", Reply)));
        Assert.Equal(1L, await app.QueryAsync<long>("SELECT COUNT(*) FROM moderation_log WHERE UserId = $u AND Action = 3", ("$u", userId)));
    }

    private static async Task<List<string>> UserBlobKeysAsync(IConnectionMultiplexer redis, long userId)
    {
        var keys = new List<string>();
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: $"faceswap:blob:user:{userId}:*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
