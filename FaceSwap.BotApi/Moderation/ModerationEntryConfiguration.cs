using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FaceSwap.BotApi.Moderation;

public sealed class ModerationEntryConfiguration : IEntityTypeConfiguration<ModerationEntry>
{
    public void Configure(EntityTypeBuilder<ModerationEntry> entry)
    {
        entry.ToTable("moderation_log");
        entry.HasIndex(e => e.Reference).IsUnique();
        entry.HasIndex(e => new { e.UserId, e.CreatedAt });
        entry.Property(e => e.Reference).HasMaxLength(128);
        entry.Property(e => e.JobId).HasMaxLength(64);
        entry.Property(e => e.Details).HasMaxLength(1024);
    }
}
