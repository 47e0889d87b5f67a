using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Operations;

/// <summary>Wrong operations settings stop the start with a message naming the key.</summary>
public sealed class OperationsOptionsTests
{
    [Theory]
    [InlineData("Health:BacklogDegradedJobs", "0", "Health:BacklogDegradedJobs must be between")]
    [InlineData("Health:BacklogDegradedJobs", "900", "Health:BacklogDegradedJobs must not be above Health:BacklogUnhealthyJobs")]
    [InlineData("Ops:ApiKey", "short", "Ops:ApiKey must be at least 16 characters")]
    [InlineData("Media:SigningKey", "short", "Media:SigningKey must be at least 32 characters")]
    [InlineData("Backups:Interval", "00:00:10", "Backups:Interval must be at least 00:01:00")]
    public async Task A_bad_setting_stops_the_start_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BotApiHost.StartAsync(settings: new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(message, error.ToString());
    }
}
