using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.BotApi.Operations.Status;

public sealed class UptimeSampleConfiguration : IEntityTypeConfiguration<UptimeSample>
{
    public void Configure(EntityTypeBuilder<UptimeSample> builder)
    {
        builder.ToTable("uptime_samples");
        builder.Property(s => s.Component).HasMaxLength(64);
        builder.HasIndex(s => new { s.Component, s.SampledAt });
        builder.HasIndex(s => s.SampledAt);
    }
}
