using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.BotApi;

public sealed class TermsOfUseTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    // Accept and HasAccepted send nothing, so no messenger is needed.
    private TermsOfUse Terms(string version) => new(null!, Options.Create(new TermsOptions { Version = version }), _clock);

    [Fact]
    public void Accepting_the_current_version_records_it_with_the_time_and_an_older_button_accepts_nothing()
    {
        var user = new BotUser { Id = 1, ChatId = 1 };
        var terms = Terms("2026-12-02");
        Assert.False(terms.HasAccepted(user));

        Assert.False(terms.Accept(user, "2026-01-01"));
        Assert.Null(user.TermsVersion);

        Assert.True(terms.Accept(user, "2026-12-02"));
        Assert.Equal("2026-12-02", user.TermsVersion);
        Assert.Equal(_clock.GetUtcNow(), user.TermsAcceptedAt);
        Assert.True(terms.HasAccepted(user));

        // Pressing the button again keeps the first acceptance's time.
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(terms.Accept(user, "2026-12-02"));
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromHours(1), user.TermsAcceptedAt);

        // A new version of the terms: the old acceptance no longer counts.
        Assert.False(Terms("2027-03-01").HasAccepted(user));
    }

    [Fact]
    public void The_bot_api_refuses_to_start_with_a_terms_version_that_cannot_travel_in_a_button()
    {
        using var factory = UnstartedBotApi.With(("Terms:Version", "version with spaces and far too long for a button"));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Terms:Version must be 1-32 letters", error.Message, StringComparison.Ordinal);
    }
}
