using FaceSwap.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Startup;

/// <summary>
/// Options registered through AddValidatedOptions are checked at start by the rules in their classes: a bad value stops
/// the service, naming the key.
/// </summary>
public sealed class ValidatedOptionsStartupTests
{
    [Theory]
    [InlineData("Blobs:InputTimeToLive", "00:00:01")]
    [InlineData("Blobs:ResultTimeToLive", "30.00:00:00")]
    [InlineData("Status:SampleInterval", "00:00:00")]
    [InlineData("Database:JournalMode", "MEMORY")]
    [InlineData("Jobs:Sweeper:Interval", "00:00:00")]
    [InlineData("Jobs:Sweeper:StuckAfter", "00:00:05")]
    [InlineData("Ops:AlertCheckInterval", "00:00:01")]
    [InlineData("Media:UrlLifetime", "02:00:00")]
    [InlineData("Inbox:KeptWhenFlooding", "50")]
    [InlineData("Inbox:Retention:BatchPause", "00:05:00")]
    [InlineData("Health:OldestJobDegradedAge", "01:00:00")]
    [InlineData("Health:DiskUnhealthyMegabytes", "999999")]
    [InlineData("Http:MaxRequestBodyBytes", "10")]
    [InlineData("Http:HstsMaxAge", "-1.00:00:00")]
    [InlineData("Replica:LeaseTime", "00:00:00.500")]
    public void The_bot_api_refuses_to_start_with_a_value_out_of_range_and_names_the_key(string key, string value)
    {
        using var factory = UnstartedBotApi.With((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The results consumer's settings were bound when the consumer was built; now they are checked at start too.</summary>
    [Theory]
    [InlineData("Jobs:Results:MaxDeliveries", "0", "MaxDeliveries")]
    [InlineData("Jobs:Results:HandlersInParallel", "1000", "HandlersInParallel")]
    [InlineData("Jobs:Results:ClaimAfter", "00:00:00.010", "ClaimAfter of the faceswap:results consumer must be at least 00:00:00.1")]
    public void The_bot_api_refuses_to_start_with_a_bad_results_consumer_setting_and_names_it(string key, string value, string expected)
    {
        using var factory = UnstartedBotApi.With((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(FaceSwap.Messaging.StreamConsumerOptions), error.OptionsType);
    }

    [Theory]
    [InlineData("Processor__VisibilityTimeout", "00:00:01", "Processor:VisibilityTimeout must be at least 00:00:03.")]
    [InlineData("FaceSwap__Engine", "deepfake9000", "FaceSwap:Engine must be 'local' or 'magicapi'.")]
    [InlineData("ContentSafety__PornThreshold", "1.5", "ContentSafety:PornThreshold must be between 0.05 and 1.")]
    public async Task The_processor_refuses_to_start_with_a_bad_setting_and_names_the_key(string variable, string value, string expected)
    {
        await using var processor = ServiceProcess.Start("FaceSwap.Processor", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            // Never reached: options are checked before anything connects.
            ["ConnectionStrings__redis"] = "127.0.0.1:1",
            [variable] = value,
        });

        var exitCode = await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, processor.Output, StringComparison.Ordinal);
    }
}
