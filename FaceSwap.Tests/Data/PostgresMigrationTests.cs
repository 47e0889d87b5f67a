using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Postgres;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceSwap.Tests.Data;

/// <summary>PostgreSQL's migrations, applied at start by the bot API's own registrations (Data/DatabaseExtensions.cs).</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresMigrationTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Two_replicas_starting_together_on_an_empty_database_apply_the_migrations_once()
    {
        var connectionString = await server.CreateDatabaseAsync();
        using var first = Replica(connectionString);
        using var second = Replica(connectionString);

        // Both initializers migrate at once. The bot API's advisory lock serialises them; Npgsql's migrator also locks
        // its history table (EF Core 9+), so this shows that concurrent starts work, not which of the two locks did it.
        await Task.WhenAll(
            first.Services.GetRequiredService<DatabaseInitializer>().StartAsync(CancellationToken.None),
            second.Services.GetRequiredService<DatabaseInitializer>().StartAsync(CancellationToken.None));

        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        Assert.IsType<PostgresFaceSwapDbContext>(db);
        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // Every migration is in the history once, and the model the code has is the model the database has.
        Assert.Equal(all.Count, await db.Database.SqlQueryRaw<int>("""SELECT count(*)::int AS "Value" FROM "__EFMigrationsHistory" """).SingleAsync());
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(0, await db.Users.CountAsync());

        // A later start (a restart, a third replica) finds nothing to do and is healthy.
        using var third = Replica(connectionString);
        var initializer = third.Services.GetRequiredService<DatabaseInitializer>();
        await initializer.StartAsync(CancellationToken.None);
        var health = await initializer.CheckHealthAsync(new());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task An_unknown_provider_is_refused_at_start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:faceswapdb"] = "Data Source=unused.db",
            ["Database:Provider"] = "mysql",
        });
        builder.AddFaceSwapDatabase();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Database:Provider must be sqlite or postgres", error.Message);
    }

    private static IHost Replica(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:faceswapdb"] = connectionString,
            ["Database:Provider"] = DatabaseOptions.Postgres,
        });
        builder.AddFaceSwapDatabase();
        builder.Services.AddLogging();
        return builder.Build();
    }
}
