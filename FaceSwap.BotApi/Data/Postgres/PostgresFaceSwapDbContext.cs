using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Data.Postgres;

/// <summary>
/// <see cref="FaceSwapDbContext"/> on PostgreSQL. A type of its own so that its migrations (Postgres/Migrations/) are
/// kept apart from SQLite's: EF Core picks migrations by context type. Services still ask for FaceSwapDbContext.
/// Regenerate after a model change, next to the SQLite migration of the same name:
/// <code>
/// dotnet ef migrations add NAME --project FaceSwap.BotApi --context PostgresFaceSwapDbContext --output-dir Data/Postgres/Migrations
/// </code>
/// (no server needed: <see cref="PostgresDesignTimeFactory"/> builds the context for the tools).
/// </summary>
public sealed class PostgresFaceSwapDbContext(DbContextOptions<PostgresFaceSwapDbContext> options) : FaceSwapDbContext(options);
