using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Operations.Health;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.Operations;

public sealed class ErrorRatesHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FaceSwapMetrics _metrics = TestMetrics.Create();

    private ErrorRatesHealthCheck Check() => new(Options.Create(new HealthThresholds
    {
        ErrorRateWindow = TimeSpan.FromMinutes(5),
        TelegramErrorsDegraded = 3,
        TelegramErrorsUnhealthy = 6,
        PaymentFailuresDegraded = 2,
        PaymentFailuresUnhealthy = 4,
    }), _time, _metrics);

    private static async Task<HealthStatus> StatusOf(ErrorRatesHealthCheck check) =>
        (await check.CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task Telegram_failures_make_it_degraded_then_unhealthy_and_it_recovers_when_they_age_out()
    {
        using var check = Check();
        Assert.Equal(HealthStatus.Healthy, await StatusOf(check));

        for (var i = 0; i < 3; i++)
        {
            _metrics.RecordTelegramError("sendMessage", 429);
        }

        Assert.Equal(HealthStatus.Degraded, await StatusOf(check));
        for (var i = 0; i < 3; i++)
        {
            _metrics.RecordTelegramError("sendPhoto", 500);
        }

        Assert.Equal(HealthStatus.Unhealthy, await StatusOf(check));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HealthStatus.Healthy, await StatusOf(check));
    }

    [Fact]
    public async Task Payment_failures_count_too()
    {
        using var check = Check();
        _metrics.RecordPaymentFailure("stars", "pre_checkout_declined");
        Assert.Equal(HealthStatus.Healthy, await StatusOf(check));

        _metrics.RecordPaymentFailure("stripe", "async_payment_failed");
        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(2, result.Data["paymentFailures"]);
    }

    [Fact]
    public async Task Failures_another_host_records_under_the_same_meter_name_do_not_count()
    {
        using var check = Check();
        var otherHost = TestMetrics.Create();
        for (var i = 0; i < 6; i++)
        {
            otherHost.RecordTelegramError("sendMessage", 500);
            otherHost.RecordPaymentFailure("stripe", "async_payment_failed");
        }

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(0, result.Data["telegramErrors"]);
    }
}
