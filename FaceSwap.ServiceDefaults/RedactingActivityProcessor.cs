using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>Redacts every span's URL tags as it ends, before any exporter added after it sees the span.</summary>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data) => TelemetryRedaction.RedactTags(data);

    public override void OnEnd(Activity data) => TelemetryRedaction.RedactTags(data);
}
