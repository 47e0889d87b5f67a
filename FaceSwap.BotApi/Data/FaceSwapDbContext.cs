using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Data;

/// <summary>
/// The bot API's state. This type carries the SQLite migrations (Migrations/); <see cref="Postgres.PostgresFaceSwapDbContext"/>
/// is the same model with PostgreSQL's own (Postgres/Migrations/), as EF Core documents for one model on two providers.
/// </summary>
public class FaceSwapDbContext : DbContext
{
    public FaceSwapDbContext(DbContextOptions<FaceSwapDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's subclass, whose options name its own type (and so its own migrations).</summary>
    protected FaceSwapDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<InboxUpdate> InboxUpdates => Set<InboxUpdate>();
    public DbSet<BotUser> Users => Set<BotUser>();
    public DbSet<SwapJob> Jobs => Set<SwapJob>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<CreditEntry> CreditLedger => Set<CreditEntry>();
    public DbSet<SavedFace> SavedFaces => Set<SavedFace>();
    public DbSet<Leases.ChatLease> ChatLeases => Set<Leases.ChatLease>();
    public DbSet<Leases.LeaderLease> LeaderLeases => Set<Leases.LeaderLease>();
    public DbSet<SentReply> SentReplies => Set<SentReply>();

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

        // Leases (Data/Leases/LeaseStore.cs): claimed and renewed by raw upserts on these names.
        modelBuilder.Entity<Leases.ChatLease>(lease =>
        {
            lease.ToTable("chat_leases");
            lease.HasKey(l => l.ChatId);
            lease.Property(l => l.ChatId).ValueGeneratedNever();
            lease.Property(l => l.Owner).HasMaxLength(200);
        });

        modelBuilder.Entity<Leases.LeaderLease>(lease =>
        {
            lease.ToTable("leader_leases");
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(100);
            lease.Property(l => l.Owner).HasMaxLength(200);
        });

        // What the inbox worker sent per update (Telegram/SentReplyLog.cs): the key is the lookup before each send.
        modelBuilder.Entity<SentReply>(reply =>
        {
            reply.ToTable("sent_replies");
            reply.HasKey(r => new { r.UpdateId, r.ChatId, r.Sequence });
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native DateTimeOffset ordering; store UTC ticks so ORDER BY and comparisons work in SQL.
        // PostgreSQL keeps the same bigint ticks: the inbox's raw SQL and a copy from SQLite stay the same on both.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToTicksConverter>();
    }
}
