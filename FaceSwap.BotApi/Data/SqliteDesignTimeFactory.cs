using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FaceSwap.BotApi.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add --context FaceSwapDbContext</c> build the SQLite context without starting the bot
/// API. Without it the tools take <see cref="Postgres.PostgresDesignTimeFactory"/>'s context for this one too (it is a
/// FaceSwapDbContext) and write PostgreSQL's column types into the SQLite migrations. Adding a migration never connects.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<FaceSwapDbContext>
{
    public FaceSwapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite("Data Source=faceswap.db").Options);
}
