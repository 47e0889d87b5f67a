using FaceSwap.BotApi.Data;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FaceSwap.Tests.Data;

/// <summary>
/// The PostgreSQL backup story exercised (docs/operations/backup-restore.md, "PostgreSQL"): Azure's Flexible Server
/// restores from its base backups and archived WAL to a moment, into a new server. The same mechanism here with
/// Debian's server: a base backup while the bot runs, WAL archived after it, a restore to a moment on a new server
/// on its own port, and the bot API started on that server with what came before the moment and nothing after.
/// </summary>
public sealed class PostgresPointInTimeRestoreTests
{
    private const long BeforeTheBackup = 7601;
    private const long AfterTheBackup = 7602;
    private const long AfterTheMoment = 7603;

    [PostgresFact]
    public async Task A_restore_to_a_moment_on_a_new_server_keeps_what_came_before_it_and_the_bot_runs_on_it()
    {
        var primary = await PostgresServer.StartArchivingAsync();
        PostgresServer? restored = null;
        try
        {
            var connectionString = await primary.CreateDatabaseAsync();
            string backup, moment;
            await using (var bot = await BotApiHost.StartAsync(Settings(connectionString)))
            {
                await bot.SayAndWaitAsync(BeforeTheBackup, "/start");
                backup = await primary.BaseBackupAsync();
                // After the base backup: only the archived WAL carries this user to the restored server.
                await bot.SayAndWaitAsync(AfterTheBackup, "/start");
                moment = await ClockAsync(primary);
                // After the moment the operator restores to (a bad change, a wrong bulk grant): must not come back.
                await bot.SayAndWaitAsync(AfterTheMoment, "/start");
                await primary.ArchiveCurrentWalAsync();
            }

            restored = await primary.RestoreAsync(backup, moment);
            var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            await using var restoredBot = await BotApiHost.StartAsync(Settings(restored.ConnectionStringFor(database)));

            var users = await restoredBot.WithDatabaseAsync(db => db.Users.Select(u => u.Id).OrderBy(id => id).ToListAsync());
            Assert.Equal([BeforeTheBackup, AfterTheBackup], users);
            // The bot runs on the restored server: both users' credits are there, and a new message is answered.
            Assert.Equal("You have 3 credits.", BotApiHost.TextOf(await restoredBot.SayAndWaitAsync(BeforeTheBackup, "/balance")));
            Assert.Equal("You have 3 credits.", BotApiHost.TextOf(await restoredBot.SayAndWaitAsync(AfterTheBackup, "/balance")));
        }
        finally
        {
            if (restored is not null)
            {
                await restored.DisposeAsync();
            }

            await primary.DisposeAsync();
        }
    }

    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Database:Provider"] = DatabaseOptions.Postgres,
        ["ConnectionStrings:faceswapdb"] = connectionString,
    };

    private static async Task<string> ClockAsync(PostgresServer server)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()::text", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
