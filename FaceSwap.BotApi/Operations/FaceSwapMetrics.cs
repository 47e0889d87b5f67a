using System.Diagnostics.Metrics;
using FaceSwap.ContentSafety;
using FaceSwap.Contracts;
using FaceSwap.ServiceDefaults;

namespace FaceSwap.BotApi.Operations;

/// <summary>
/// The bot API's business metrics under the <c>FaceSwap</c> meter (which ServiceDefaults exports). Static, so the
/// features record with one line and no constructor changes; the meter is process-wide either way.
/// </summary>
public static class FaceSwapMetrics
{
    public static readonly Meter Meter = new(ServiceDefaultsExtensions.FaceSwapTelemetryName, BuildInfo.Version);

    private static readonly Counter<long> UpdatesReceived = Meter.CreateCounter<long>("faceswap.updates.received", "{update}", "Telegram updates stored in the inbox");
    private static readonly Counter<long> SwapsQueued = Meter.CreateCounter<long>("faceswap.swaps.queued", "{swap}", "Swap jobs paid for and queued");
    private static readonly Counter<long> SwapsCompleted = Meter.CreateCounter<long>("faceswap.swaps.completed", "{swap}", "Swaps delivered as an image");
    private static readonly Counter<long> SwapsFailed = Meter.CreateCounter<long>("faceswap.swaps.failed", "{swap}", "Swaps that failed, by reason");
    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("faceswap.swap.queue_wait", "ms", "Time a job waited in the queue");
    private static readonly Histogram<double> EngineTime = Meter.CreateHistogram<double>("faceswap.swap.engine_time", "ms", "Time the engine took for a job");
    private static readonly Counter<long> CreditsSold = Meter.CreateCounter<long>("faceswap.credits.sold", "{credit}", "Credits sold, by payment provider");
    private static readonly Counter<long> PaymentFailures = Meter.CreateCounter<long>("faceswap.payments.failed", "{payment}", "Payments that failed, by provider and reason");
    private static readonly Counter<long> TelegramErrors = Meter.CreateCounter<long>("faceswap.telegram.errors", "{request}", "Telegram Bot API calls that failed, by method and status");
    private static readonly Counter<long> TelegramRateLimited = Meter.CreateCounter<long>("faceswap.telegram.rate_limited", "{request}", "Telegram Bot API calls answered 429");
    private static readonly Counter<long> AlertsSent = Meter.CreateCounter<long>("faceswap.alerts.sent", "{alert}", "Operator alerts posted");
    private static readonly Counter<long> RowsPruned = Meter.CreateCounter<long>("faceswap.inbox.pruned", "{row}", "Handled updates and dispatched outbox messages deleted after the retention period, by table");

    private static readonly Counter<long> UpdatesSetAside = Meter.CreateCounter<long>("faceswap.updates.shed", "{update}", "Updates set aside unhandled because their chat was flooding");
    private static readonly Counter<long> ResultsUndeliverable = Meter.CreateCounter<long>("faceswap.results.undeliverable", "{result}", "Results Telegram would not deliver (blocked bot), refunded");
    private static readonly Counter<long> ReportsReceived = Meter.CreateCounter<long>("faceswap.reports.received", "{report}", "Results users reported to the operators");
    private static readonly Counter<long> JobsSwept = Meter.CreateCounter<long>("faceswap.jobs.swept", "{job}", "Stuck jobs the sweeper re-dispatched or failed, by action");
    private static readonly Counter<long> ContentRefusals = Meter.CreateCounter<long>("faceswap.content.refused", "{image}", "Images the content-safety gate refused, by stage and class");

    private static long _backlog;
    private static long _lastBackupUnixSeconds;

    static FaceSwapMetrics()
    {
        Meter.CreateObservableGauge("faceswap.jobs.backlog", () => Interlocked.Read(ref _backlog), "{job}",
            "Jobs waiting or in progress on faceswap:jobs, as last measured by the backlog check");
        Meter.CreateObservableGauge("faceswap.backup.last_success", () => Interlocked.Read(ref _lastBackupUnixSeconds), "s",
            "Unix time of the last verified database snapshot (0: none yet)");
    }

    public static void UpdateReceived() => UpdatesReceived.Add(1);

    public static void SwapQueued() => SwapsQueued.Add(1);

    public static void UpdatesShed(int count) => UpdatesSetAside.Add(count);

    public static void ResultUndeliverable() => ResultsUndeliverable.Add(1);

    public static void ReportReceived() => ReportsReceived.Add(1);

    public static void JobSwept(string action) => JobsSwept.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <summary>A refusal by the content-safety gate: <paramref name="stage"/> is <c>intake</c> (an input photo).</summary>
    public static void ContentRefused(string stage, NsfwClass refusedFor) =>
        ContentRefusals.Add(1, new("stage", stage), new("class", refusedFor.ToString()));

    /// <summary>Records a result from the processor; a "choose a face" answer is a question, not an outcome.</summary>
    public static void RecordResult(SwapResultMessage result)
    {
        if (result.Outcome == SwapOutcome.NeedsFaceChoice)
        {
            return;
        }

        QueueWait.Record(result.QueueWaitMs);
        EngineTime.Record(result.EngineMs);
        if (result.Succeeded)
        {
            SwapsCompleted.Add(1);
        }
        else
        {
            SwapsFailed.Add(1, new KeyValuePair<string, object?>("reason", (result.FailureReason ?? SwapFailureReason.EngineError).ToString()));
        }
    }

    /// <summary>For the payments code: <paramref name="provider"/> is e.g. <c>stripe</c> or <c>telegram-stars</c>.</summary>
    public static void RecordCreditsSold(string provider, int credits) =>
        CreditsSold.Add(credits, new KeyValuePair<string, object?>("provider", provider));

    public static void RecordPaymentFailure(string provider, string reason) =>
        PaymentFailures.Add(1, new("provider", provider), new("reason", reason));

    public static void RecordTelegramError(string method, int status)
    {
        TelegramErrors.Add(1, new("method", method), new("status", status));
        if (status == 429)
        {
            TelegramRateLimited.Add(1, new KeyValuePair<string, object?>("method", method));
        }
    }

    public static void RecordAlertSent(string check) => AlertsSent.Add(1, new KeyValuePair<string, object?>("check", check));

    /// <summary>For the inbox pruner: <paramref name="table"/> is <c>inbox_updates</c> or <c>outbox</c>.</summary>
    public static void RecordPruned(string table, long rows) => RowsPruned.Add(rows, new KeyValuePair<string, object?>("table", table));

    public static void SetBacklog(long jobs) => Interlocked.Exchange(ref _backlog, jobs);

    public static void SetLastBackup(DateTimeOffset at) => Interlocked.Exchange(ref _lastBackupUnixSeconds, at.ToUnixTimeSeconds());
}
