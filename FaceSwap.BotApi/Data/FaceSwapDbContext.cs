using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Data;

public sealed class FaceSwapDbContext(DbContextOptions<FaceSwapDbContext> options) : DbContext(options)
{
    public DbSet<InboxUpdate> InboxUpdates => Set<InboxUpdate>();
    public DbSet<BotUser> Users => Set<BotUser>();
    public DbSet<SwapJob> Jobs => Set<SwapJob>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<CreditEntry> CreditLedger => Set<CreditEntry>();
    public DbSet<SavedFace> SavedFaces => Set<SavedFace>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Feature folders (Payments, Operations) keep their tables' mapping next to their code.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FaceSwapDbContext).Assembly);

        modelBuilder.Entity<InboxUpdate>(update =>
        {
            update.ToTable("inbox_updates");
            update.HasKey(u => u.UpdateId);
            update.Property(u => u.UpdateId).ValueGeneratedNever();
            update.HasIndex(u => new { u.Status, u.ChatId, u.UpdateId });
            // The pruner's range (Inbox/InboxPruner.cs): handled and failed updates by age, without a table scan.
            update.HasIndex(u => new { u.Status, u.ReceivedAt });
        });

        modelBuilder.Entity<BotUser>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.Id).ValueGeneratedNever();
        });

        modelBuilder.Entity<SwapJob>(job =>
        {
            job.ToTable("jobs");
            job.HasIndex(j => new { j.UserId, j.CreatedAt });
            job.HasIndex(j => j.Status);
        });

        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox");
            outbox.HasIndex(o => o.DispatchedAt);
        });

        modelBuilder.Entity<CreditEntry>(entry =>
        {
            entry.ToTable("credit_ledger");
            entry.HasIndex(e => e.Reference).IsUnique();
            entry.HasIndex(e => e.UserId);
        });

        modelBuilder.Entity<SavedFace>(face =>
        {
            face.ToTable("saved_faces");
            face.HasIndex(f => new { f.UserId, f.Name }).IsUnique();
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native DateTimeOffset ordering; store UTC ticks so ORDER BY and comparisons work in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToTicksConverter>();
    }
}
