using FaceSwap.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Startup;

/// <summary>Options registered through AddValidatedOptions are checked at start: a bad value stops the bot API, naming the key.</summary>
public sealed class ValidatedOptionsStartupTests
{
    [Theory]
    [InlineData("Blobs:InputTimeToLive", "00:00:01")]
    [InlineData("Blobs:ResultTimeToLive", "30.00:00:00")]
    [InlineData("Status:SampleInterval", "00:00:00")]
    [InlineData("Database:JournalMode", "MEMORY")]
    public void The_bot_api_refuses_to_start_with_a_value_out_of_range_and_names_the_key(string key, string value)
    {
        using var factory = UnstartedBotApi.With((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
