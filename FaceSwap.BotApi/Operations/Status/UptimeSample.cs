using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.BotApi.Operations.Status;

/// <summary>One component's state at one moment, for the status page's 24-hour uptime.</summary>
public sealed class UptimeSample
{
    public long Id { get; set; }
    public required string Component { get; set; }
    public DateTimeOffset SampledAt { get; set; }
    public HealthStatus Status { get; set; }
}
