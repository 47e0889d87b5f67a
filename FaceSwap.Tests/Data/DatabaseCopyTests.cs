using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Copy;
using FaceSwap.BotApi.Data.Postgres;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Operations.Status;
using FaceSwap.BotApi.Payments;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FaceSwap.Tests.Data;

/// <summary>
/// <c>copy-database</c> (Data/Copy): a SQLite deployment's final backup, filled through the bot's own chat paths, moved
/// into a real PostgreSQL database row for row; the bot API then runs on the copy. A non-empty target is refused.
/// </summary>
[Collection(PostgresServer.Collection)]
public sealed class DatabaseCopyTests(PostgresServer server)
{
    private const long Admin = 5000;
    private const long Buyer = 5101;
    private const long Banned = 5102;
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string?> AdminSettings = new() { ["Payments:AdminUserIds:0"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [PostgresFact]
    public async Task A_seeded_sqlite_deployment_is_copied_row_for_row_and_the_bot_api_runs_on_the_copy()
    {
        string snapshot;
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await using (var sqlite = await BotApiHost.StartAsync(AdminSettings))
            {
                await SeedThroughTheChatAsync(sqlite);
                // The runbook's "final backup": the operator's snapshot of the stopped-intake database is what is copied.
                var backup = await sqlite.Http.SendAsync(sqlite.WithOpsKey(HttpMethod.Post, "/ops/backups"));
                backup.EnsureSuccessStatusCode();
                var taken = (await backup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fileName").GetString()!;
                snapshot = Path.Combine(directory, "final.db");
                File.Copy(Path.IsPathRooted(taken) ? taken : Path.Combine(sqlite.Directory, "backups", taken), snapshot);
            }

            var target = await server.CreateDatabaseAsync();
            var (exitCode, output, error) = await CopyAsync($"Data Source={snapshot}", target);

            Assert.True(exitCode == 0, error);
            var summary = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches(@"^Copied \d+ tables \(\d+ rows\) from .*final\.db to faceswap_\w+ on 127\.0\.0\.1 in [\d.]+ s; row counts and checksums match\.$", summary.TrimEnd('\r'));

            await using var source = new FaceSwapDbContext(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite($"Data Source={snapshot};Pooling=false").Options);
            await using var copy = new PostgresFaceSwapDbContext(new DbContextOptionsBuilder<PostgresFaceSwapDbContext>().UseNpgsql(target).Options);
            var seeded = new Dictionary<string, int>();
            foreach (var (table, rows) in new (string, Func<FaceSwapDbContext, Task<string[]>>)[]
            {
                ("users", db => RowsAsync(db.Users.OrderBy(u => u.Id))),
                ("credit_ledger", db => RowsAsync(db.CreditLedger.OrderBy(e => e.Id))),
                ("payments", db => RowsAsync(db.Set<Payment>().OrderBy(p => p.Id))),
                ("jobs", db => RowsAsync(db.Jobs.OrderBy(j => j.Id))),
                ("inbox_updates", db => RowsAsync(db.InboxUpdates.OrderBy(u => u.UpdateId))),
                ("outbox", db => RowsAsync(db.Outbox.OrderBy(o => o.Id))),
                ("saved_faces", db => RowsAsync(db.SavedFaces.OrderBy(f => f.Id))),
                ("moderation_log", db => RowsAsync(db.Set<ModerationEntry>().OrderBy(m => m.Id))),
                ("uptime_samples", db => RowsAsync(db.Set<UptimeSample>().OrderBy(s => s.Id))),
            })
            {
                var expected = await rows(source);
                Assert.Equal(expected, await rows(copy));
                seeded[table] = expected.Length;
            }

            // Each feature left rows (else the comparison above proves little).
            Assert.All(seeded.Where(t => t.Key != "uptime_samples"), t => Assert.True(t.Value > 0, $"{t.Key} is empty"));
            var balance = await source.CreditLedger.Where(e => e.UserId == Buyer).SumAsync(e => e.Amount);
            NpgsqlConnection.ClearAllPools();

            // The bot API on the copy: the buyer's balance as the chat shows it, and new ledger rows after the copied ids.
            await using var postgres = await BotApiHost.StartAsync(new Dictionary<string, string?>(AdminSettings)
            {
                ["Database:Provider"] = DatabaseOptions.Postgres,
                ["ConnectionStrings:faceswapdb"] = target,
            });
            var users = new EmulatorClient(postgres.Emulator.Http);
            // This emulator numbers its updates from the start again, where Telegram would go on past the copied ones:
            // the copied ids are used up first (by a bystander; the inbox drops them as already stored).
            var lastCopiedUpdate = await source.InboxUpdates.MaxAsync(u => u.UpdateId);
            long sentUpdate;
            do
            {
                var sent = await postgres.Emulator.Http.PostAsJsonAsync("/control/users/9999/text", new { text = "/help", firstName = "Bystander" });
                sent.EnsureSuccessStatusCode();
                sentUpdate = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("updateId").GetInt64();
            }
            while (sentUpdate < lastCopiedUpdate);

            Assert.StartsWith($"You have {balance} credits.", EmulatorClient.Text(await users.AskAsync(Buyer, "/balance", Reply)));
            Assert.Equal($"Changed user {Buyer}'s credits by 2; their balance is now {balance + 2}.",
                EmulatorClient.Text(await users.AskAsync(Admin, $"/grant {Buyer} 2", Reply)));
            var maxCopiedId = await source.CreditLedger.MaxAsync(e => e.Id);
            Assert.True(await postgres.WithDatabaseAsync(db => db.CreditLedger.AnyAsync(e => e.UserId == Buyer && e.Amount == 2 && e.Id > maxCopiedId)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [PostgresFact]
    public async Task A_target_with_rows_is_refused_and_left_as_it_was()
    {
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var sqlite = $"Data Source={Path.Combine(directory, "faceswap.db")};Pooling=false";
            await using (var db = new FaceSwapDbContext(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite(sqlite).Options))
            {
                await db.Database.MigrateAsync();
                db.Users.Add(new BotUser { Id = 1, ChatId = 1, CreatedAt = DateTimeOffset.UnixEpoch });
                await db.SaveChangesAsync();
            }

            var target = await server.CreateDatabaseAsync();
            Assert.Equal(0, (await CopyAsync(sqlite, target)).ExitCode);
            await using (var connection = new NpgsqlConnection(target))
            {
                await connection.OpenAsync();
                await new NpgsqlCommand("""INSERT INTO users ("Id", "ChatId", "CreatedAt", "Step") VALUES (2, 2, 0, 0)""", connection).ExecuteNonQueryAsync();
            }

            var (exitCode, output, error) = await CopyAsync(sqlite, target);

            Assert.Equal(1, exitCode);
            Assert.Empty(output);
            Assert.Contains("is not empty (table users has rows): copy into a new, empty database.", error);
            await using var copy = new PostgresFaceSwapDbContext(new DbContextOptionsBuilder<PostgresFaceSwapDbContext>().UseNpgsql(target).Options);
            Assert.Equal(new long[] { 1, 2 }, await copy.Users.OrderBy(u => u.Id).Select(u => u.Id).ToListAsync());

            // A source path that does not exist is refused too, and not created as an empty database.
            var missing = Path.Combine(directory, "missing.db");
            var (missingExit, _, missingError) = await CopyAsync($"Data Source={missing}", await server.CreateDatabaseAsync());
            Assert.Equal(1, missingExit);
            Assert.Contains("does not exist", missingError);
            Assert.False(File.Exists(missing));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A buyer who pays in Stars, saves a face and queues a swap; an operator who bans another user.</summary>
    private static async Task SeedThroughTheChatAsync(BotApiHost host)
    {
        var users = new EmulatorClient(host.Emulator.Http);
        await users.AskAsync(Admin, "/start", Reply);
        await users.AskAsync(Banned, "/start", Reply);
        await users.AskAsync(Buyer, "/start", Reply);
        await users.AcceptTermsAsync(Buyer);

        var menu = await users.AskAsync(Buyer, "/buy", Reply);
        var before = (await users.BotMessagesAsync(Buyer)).Count;
        await users.PressButtonAsync(Buyer, EmulatorClient.MessageId(menu), "buy:stars:small");
        var invoice = await users.WaitForBotMessageAsync(Buyer, m => m.GetProperty("method").GetString() == "sendInvoice", Reply, before);
        (await host.Emulator.Http.PostAsJsonAsync($"/control/users/{Buyer}/pay", new { messageId = EmulatorClient.MessageId(invoice) })).EnsureSuccessStatusCode();
        await users.WaitForBotMessageAsync(Buyer, m => EmulatorClient.Text(m)?.StartsWith("Thank you", StringComparison.Ordinal) == true, Reply);

        before = (await users.BotMessagesAsync(Buyer)).Count;
        await users.SendPhotoAsync(Buyer, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(Buyer, m => EmulatorClient.Text(m)?.StartsWith("Got the face", StringComparison.Ordinal) == true, Reply, before);
        Assert.Equal("Saved the face as \"Grace\".", EmulatorClient.Text(await users.AskAsync(Buyer, "/saveface Grace", Reply)));
        await users.SendPhotoAsync(Buyer, TestImages.GraceHopper, "target.jpg");
        await host.WaitUntilAsync(db => db.Outbox.AnyAsync(o => o.DispatchedAt != null), Reply, "the swap job to be dispatched");

        Assert.StartsWith($"User {Banned} is banned", EmulatorClient.Text(await users.AskAsync(Admin, $"/ban {Banned} spam", Reply)));
    }

    private static async Task<string[]> RowsAsync<T>(IQueryable<T> rows) where T : class =>
        (await rows.AsNoTracking().ToListAsync()).Select(row => JsonSerializer.Serialize(row)).ToArray();

    private static async Task<(int ExitCode, string Output, string Error)> CopyAsync(string from, string to)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CopyDatabaseCommand.RunAsync([CopyDatabaseCommand.Name, "--from", from, "--to", to], output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
