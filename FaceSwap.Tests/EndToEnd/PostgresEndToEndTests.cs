using FaceSwap.AppHost.Postgres;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.EndToEnd;

[Collection(PostgresAppCollection.Name)]
public sealed class PostgresEndToEndTests(PostgresAppFixture app)
{
    [PostgresFact]
    public async Task The_bot_api_comes_up_healthy_on_the_local_postgres_and_answers_an_update()
    {
        // The fixture waited for the bot API's readiness, which includes its "postgres" and "database" (migrated) checks.
        var reply = await app.Emulator.AskAsync(7601, "/start", TimeSpan.FromSeconds(30));

        Assert.False(string.IsNullOrEmpty(EmulatorClient.Text(reply)));
        // The cluster lives under the AppHost's data folder, not in a SQLite file.
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "postgres", "data", "PG_VERSION")));
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "botapi", "faceswap.db")));
    }
}
