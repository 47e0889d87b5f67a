using FaceSwap.ContentSafety;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Safety;

/// <summary>Content-safety gates for tests that construct services by hand.</summary>
internal static class TestGates
{
    private static readonly Lazy<ContentSafetyGate> SharedDefault = new(() => With(new ContentSafetyOptions()));

    /// <summary>The gate at the default settings, one for the test run (its model loads once).</summary>
    public static ContentSafetyGate Default => SharedDefault.Value;

    /// <summary>For tests about something else: screens nothing, so their synthetic images cannot be refused.</summary>
    public static ContentSafetyGate Disabled() => With(new ContentSafetyOptions { Enabled = false });

    public static ContentSafetyGate With(ContentSafetyOptions options) => new(Options.Create(options), NullLogger<ContentSafetyGate>.Instance);
}
