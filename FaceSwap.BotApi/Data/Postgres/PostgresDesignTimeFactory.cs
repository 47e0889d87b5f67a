using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FaceSwap.BotApi.Data.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgresFaceSwapDbContext</c> build the context without starting the bot
/// API (which would want Telegram and Redis settings); adding a migration never connects.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFaceSwapDbContext>
{
    public PostgresFaceSwapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFaceSwapDbContext>().UseNpgsql("Host=localhost;Database=faceswap").Options);
}
