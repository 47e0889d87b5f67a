namespace Microsoft.Extensions.DependencyInjection;

/// <summary>A connection string the service cannot run without, as options so that it is checked at start with the rest.</summary>
public sealed class RequiredConnectionString
{
    public string? Value { get; set; }
}
