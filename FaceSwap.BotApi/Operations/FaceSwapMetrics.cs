using System.Diagnostics.Metrics;
using FaceSwap.ContentSafety;
using FaceSwap.Contracts;
using FaceSwap.ServiceDefaults;

namespace FaceSwap.BotApi.Operations;

/// <summary>
/// The bot API's business metrics under the <c>FaceSwap</c> meter (which ServiceDefaults exports). A singleton whose
/// meter comes from the host's <see cref="IMeterFactory"/>: the container owns and disposes it, and a listener can tell
/// this host's measurements from another's in the same process (tests running side by side each see only their own).
/// </summary>
public sealed class FaceSwapMetrics
{
    private readonly Counter<long> _updatesReceived;
    private readonly Counter<long> _swapsQueued;
    private readonly Counter<long> _swapsCompleted;
    private readonly Counter<long> _swapsFailed;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _engineTime;
    private readonly Counter<long> _creditsSold;
    private readonly Counter<long> _paymentFailures;
    private readonly Counter<long> _telegramErrors;
    private readonly Counter<long> _telegramRateLimited;
    private readonly Counter<long> _alertsSent;
    private readonly Counter<long> _rowsPruned;

    private readonly Counter<long> _updatesSetAside;
    private readonly Counter<long> _resultsUndeliverable;
    private readonly Counter<long> _reportsReceived;
    private readonly Counter<long> _jobsSwept;
    private readonly Counter<long> _contentRefusals;

    private long _backlog;
    private long _lastBackupUnixSeconds;

    public FaceSwapMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(new MeterOptions(ServiceDefaultsExtensions.FaceSwapTelemetryName) { Version = BuildInfo.Version });
        _updatesReceived = Meter.CreateCounter<long>("faceswap.updates.received", "{update}", "Telegram updates stored in the inbox");
        _swapsQueued = Meter.CreateCounter<long>("faceswap.swaps.queued", "{swap}", "Swap jobs paid for and queued");
        _swapsCompleted = Meter.CreateCounter<long>("faceswap.swaps.completed", "{swap}", "Swaps delivered as an image");
        _swapsFailed = Meter.CreateCounter<long>("faceswap.swaps.failed", "{swap}", "Swaps that failed, by reason");
        _queueWait = Meter.CreateHistogram<double>("faceswap.swap.queue_wait", "ms", "Time a job waited in the queue");
        _engineTime = Meter.CreateHistogram<double>("faceswap.swap.engine_time", "ms", "Time the engine took for a job");
        _creditsSold = Meter.CreateCounter<long>("faceswap.credits.sold", "{credit}", "Credits sold, by payment provider");
        _paymentFailures = Meter.CreateCounter<long>("faceswap.payments.failed", "{payment}", "Payments that failed, by provider and reason");
        _telegramErrors = Meter.CreateCounter<long>("faceswap.telegram.errors", "{request}", "Telegram Bot API calls that failed, by method and status");
        _telegramRateLimited = Meter.CreateCounter<long>("faceswap.telegram.rate_limited", "{request}", "Telegram Bot API calls answered 429");
        _alertsSent = Meter.CreateCounter<long>("faceswap.alerts.sent", "{alert}", "Operator alerts posted");
        _rowsPruned = Meter.CreateCounter<long>("faceswap.inbox.pruned", "{row}", "Handled updates and dispatched outbox messages deleted after the retention period, by table");
        _updatesSetAside = Meter.CreateCounter<long>("faceswap.updates.shed", "{update}", "Updates set aside unhandled because their chat was flooding");
        _resultsUndeliverable = Meter.CreateCounter<long>("faceswap.results.undeliverable", "{result}", "Results Telegram would not deliver (blocked bot), refunded");
        _reportsReceived = Meter.CreateCounter<long>("faceswap.reports.received", "{report}", "Results users reported to the operators");
        _jobsSwept = Meter.CreateCounter<long>("faceswap.jobs.swept", "{job}", "Stuck jobs the sweeper re-dispatched or failed, by action");
        _contentRefusals = Meter.CreateCounter<long>("faceswap.content.refused", "{image}", "Images the content-safety gate refused, by stage and class");
        Meter.CreateObservableGauge("faceswap.jobs.backlog", () => Interlocked.Read(ref _backlog), "{job}",
            "Jobs waiting or in progress on faceswap:jobs, as last measured by the backlog check");
        Meter.CreateObservableGauge("faceswap.backup.last_success", () => Interlocked.Read(ref _lastBackupUnixSeconds), "s",
            "Unix time of the last verified database snapshot (0: none yet)");
    }

    /// <summary>The meter the instruments belong to; listeners compare against it to hear only this host.</summary>
    public Meter Meter { get; }

    public void UpdateReceived() => _updatesReceived.Add(1);

    public void SwapQueued() => _swapsQueued.Add(1);

    public void UpdatesShed(int count) => _updatesSetAside.Add(count);

    public void ResultUndeliverable() => _resultsUndeliverable.Add(1);

    public void ReportReceived() => _reportsReceived.Add(1);

    public void JobSwept(string action) => _jobsSwept.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <summary>A refusal by the content-safety gate: <paramref name="stage"/> is <c>intake</c> (an input photo).</summary>
    public void ContentRefused(string stage, NsfwClass refusedFor) =>
        _contentRefusals.Add(1, new("stage", stage), new("class", refusedFor.ToString()));

    /// <summary>Records a result from the processor; a "choose a face" answer is a question, not an outcome.</summary>
    public void RecordResult(SwapResultMessage result)
    {
        if (result.Outcome == SwapOutcome.NeedsFaceChoice)
        {
            return;
        }

        _queueWait.Record(result.QueueWaitMs);
        _engineTime.Record(result.EngineMs);
        if (result.Succeeded)
        {
            _swapsCompleted.Add(1);
        }
        else
        {
            _swapsFailed.Add(1, new KeyValuePair<string, object?>("reason", (result.FailureReason ?? SwapFailureReason.EngineError).ToString()));
        }
    }

    /// <summary>For the payments code: <paramref name="provider"/> is e.g. <c>stripe</c> or <c>telegram-stars</c>.</summary>
    public void RecordCreditsSold(string provider, int credits) =>
        _creditsSold.Add(credits, new KeyValuePair<string, object?>("provider", provider));

    public void RecordPaymentFailure(string provider, string reason) =>
        _paymentFailures.Add(1, new("provider", provider), new("reason", reason));

    public void RecordTelegramError(string method, int status)
    {
        _telegramErrors.Add(1, new("method", method), new("status", status));
        if (status == 429)
        {
            _telegramRateLimited.Add(1, new KeyValuePair<string, object?>("method", method));
        }
    }

    public void RecordAlertSent(string check) => _alertsSent.Add(1, new KeyValuePair<string, object?>("check", check));

    /// <summary>For the inbox pruner: <paramref name="table"/> is <c>inbox_updates</c> or <c>outbox</c>.</summary>
    public void RecordPruned(string table, long rows) => _rowsPruned.Add(rows, new KeyValuePair<string, object?>("table", table));

    public void SetBacklog(long jobs) => Interlocked.Exchange(ref _backlog, jobs);

    public void SetLastBackup(DateTimeOffset at) => Interlocked.Exchange(ref _lastBackupUnixSeconds, at.ToUnixTimeSeconds());
}
