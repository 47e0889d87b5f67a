using System.ComponentModel.DataAnnotations;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Inbox;

/// <summary><c>Inbox:Retention:*</c>: how long handled updates and dispatched outbox messages are kept.</summary>
public sealed class InboxRetentionOptions
{
    public const string SectionName = "Inbox:Retention";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Handled and failed updates received longer ago than this, and outbox messages dispatched longer ago, are deleted.
    /// At least a day: a stored update id is what makes a second delivery of that update a no-op, and Telegram keeps
    /// (and may deliver again) an update for at most 24 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "10675199.02:48:05.4775807", ErrorMessage = "Inbox:Retention:RetainFor must be at least 1.00:00:00: Telegram may deliver an update again within 24 hours, and the stored id is what makes that a no-op.")]
    public TimeSpan RetainFor { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:01:00", "10675199.02:48:05.4775807", ErrorMessage = "Inbox:Retention:Interval must be at least 00:01:00.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first pass waits this long after start, so start-up and the inbox's catch-up go first.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", ErrorMessage = "Inbox:Retention:FirstPassDelay must not be negative.")]
    public TimeSpan FirstPassDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Rows per delete statement. Each batch is its own transaction and holds SQLite's write lock, which intake then
    /// waits for: alone on a 1.2 GB database a batch of 1,000 took 15-100 ms, one of 5,000 150-250 ms (docs/benchmarks.md).
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Inbox:Retention:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>The pause between batches, in which the intake writer and the workers get the write lock.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Inbox:Retention:BatchPause must be between 00:00:00 and 00:01:00.")]
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(100);
}
