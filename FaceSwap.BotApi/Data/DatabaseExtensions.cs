using FaceSwap.BotApi.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceSwap.BotApi.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// The DbContext on the configured provider (<c>Database:Provider</c>) and the initializer that migrates it before
    /// anything else runs. Returns <c>ConnectionStrings:faceswapdb</c>.
    /// </summary>
    public static string AddFaceSwapDatabase(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.SectionName);
        var connectionString = builder.Configuration.GetConnectionString("faceswapdb")
            ?? throw new InvalidOperationException("ConnectionStrings:faceswapdb (env ConnectionStrings__faceswapdb) is required, e.g. \"Data Source=/data/faceswap.db\" (or \"Host=...;Database=faceswap;Username=...\" with Database:Provider=postgres).");
        if (DatabaseOptions.PostgresSelected(builder.Configuration))
        {
            // Services ask for FaceSwapDbContext; the subclass only selects PostgreSQL's migrations.
            services.AddDbContext<FaceSwapDbContext, PostgresFaceSwapDbContext>(options =>
                options.UseNpgsql(connectionString).AddInterceptors(new PostgresWriteLock()));
        }
        else
        {
            // SQLite with one writer process (this one).
            services.AddDbContext<FaceSwapDbContext>(options => options.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionPragmas()));
        }

        // Several replicas on PostgreSQL share the work through leases in the database (Data/Leases/LeaseStore.cs).
        services.AddValidatedOptions<Leases.ReplicaOptions>(Leases.ReplicaOptions.SectionName);
        // The leases expire on the app's clock; a host of the database alone (the provider's start-up tests) has the system's.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Leases.LeaseStore>();
        services.AddHostedService(sp => sp.GetRequiredService<Leases.LeaseStore>());

        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        services.AddHealthChecks().AddCheck<DatabaseInitializer>("database");
        return connectionString;
    }
}
