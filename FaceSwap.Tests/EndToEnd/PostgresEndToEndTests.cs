using FaceSwap.AppHost.Postgres;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>The whole app with <c>FaceSwap:Database=postgres</c>: the AppHost's local PostgreSQL (Debian's binaries).</summary>
public sealed class PostgresAppFixture : FaceSwapAppFixture
{
    protected override IEnumerable<string> Settings => ["FaceSwap:Database=postgres", "FaceSwap:PostgresMode=local"];

    public override async Task InitializeAsync()
    {
        if (PostgresBinaries.Installed)
        {
            await base.InitializeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresAppCollection : ICollectionFixture<PostgresAppFixture>
{
    public const string Name = "Whole app (PostgreSQL)";
}

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
