namespace Microsoft.Extensions.Hosting;

/// <summary><c>Health:Memory:*</c>: the working-set limits of the <c>memory</c> check.</summary>
public sealed class MemoryHealthCheckOptions
{
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Health:Memory:DegradedMegabytes must be between {1} and {2}.")]
    public int DegradedMegabytes { get; set; } = 1024;

    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Health:Memory:UnhealthyMegabytes must be between {1} and {2}.")]
    public int UnhealthyMegabytes { get; set; } = 2048;
}
