using FaceSwap.BotApi.Media;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Safety;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// Decodes wait for one of <c>Images:DecodesInParallel</c> slots. A decode here runs without yielding once it has its
/// slot, so with the slots taken by the test an accepted task that is not complete can only be one that is waiting.
/// </summary>
public sealed class ImageIntakeConcurrencyTests
{
    private static (ImageIntake Intake, ImageDecodeSlots Slots) IntakeWith(int decodesInParallel)
    {
        var options = Options.Create(new ImageIntakeOptions { EnginePixels = 100_000, DecodesInParallel = decodesInParallel });
        var slots = new ImageDecodeSlots(options);
        return (new ImageIntake(options, slots, TestGates.Disabled(), TestMetrics.Create()), slots);
    }

    [Fact]
    public async Task With_one_decode_at_a_time_a_second_decode_waits_until_the_first_gives_its_slot_back()
    {
        var (intake, slots) = IntakeWith(decodesInParallel: 1);
        var first = await slots.EnterAsync(CancellationToken.None); // a decode in progress

        var second = intake.AcceptAsync(TestImages.Astronaut, CancellationToken.None);

        Assert.False(second.IsCompleted, "the second decode ran while the only slot was taken");
        Assert.Equal(0, slots.Free);
        first.Dispose();
        Assert.Equal(IntakeVerdict.Accepted, (await second).Verdict);
        Assert.Equal(1, slots.Free);
    }

    [Fact]
    public async Task Decodes_run_side_by_side_up_to_the_limit()
    {
        var (intake, slots) = IntakeWith(decodesInParallel: 2);
        using var first = await slots.EnterAsync(CancellationToken.None);

        var second = intake.AcceptAsync(TestImages.Astronaut, CancellationToken.None);

        Assert.True(second.IsCompleted, "one slot of two was free");
        Assert.Equal(IntakeVerdict.Accepted, (await second).Verdict);
        Assert.Equal(1, slots.Free);
    }

    [Fact]
    public async Task Waiting_for_a_slot_ends_when_the_update_is_cancelled_and_takes_no_slot()
    {
        var (intake, slots) = IntakeWith(decodesInParallel: 1);
        var first = await slots.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = intake.AcceptAsync(TestImages.Astronaut, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();
        Assert.Equal(1, slots.Free);
    }

    [Fact]
    public async Task A_photo_refused_from_its_header_does_not_wait_for_a_slot()
    {
        var (intake, slots) = IntakeWith(decodesInParallel: 1);
        using var taken = await slots.EnterAsync(CancellationToken.None);

        var refused = intake.AcceptAsync(TestImages.PngHeaderClaiming(50_000, 50_000), CancellationToken.None);

        Assert.True(refused.IsCompleted);
        Assert.Equal(IntakeVerdict.TooLarge, (await refused).Verdict);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    public void The_bot_api_refuses_to_start_with_decodes_in_parallel_outside_1_to_16_and_names_the_key(string value)
    {
        using var factory = UnstartedBotApi.With(("Images:DecodesInParallel", value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Images:DecodesInParallel must be between 1 and 16", error.Message, StringComparison.Ordinal);
    }
}
