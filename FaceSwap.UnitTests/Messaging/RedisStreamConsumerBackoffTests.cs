using System.Threading.Channels;
using FaceSwap.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace FaceSwap.UnitTests.Messaging;

public sealed class RedisStreamConsumerBackoffTests
{
    [Fact]
    public async Task While_Redis_is_unreachable_the_waits_between_reads_double_up_to_the_cap()
    {
        // A real client to a port nothing listens on, failing fast instead of queueing commands until they time out.
        using var redis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { "127.0.0.1:1" },
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = 500,
        });
        var clock = new TimerRecordingClock(new FakeTimeProvider());
        var options = new StreamConsumerOptions
        {
            Stream = "test:jobs", Group = "g", Consumer = "c", DeadLetterStream = "test:jobs:dead",
            // Claim renewals wait a third of this: an hour, far from the read loop's waits.
            ClaimAfter = TimeSpan.FromHours(3),
        };
        using var services = new ServiceCollection().BuildServiceProvider();
        using var consumer = new RedisStreamConsumer<string, UnusedHandler>(redis, services.GetRequiredService<IServiceScopeFactory>(), options, clock,
            NullLogger<RedisStreamConsumer<string, UnusedHandler>>.Instance);

        await consumer.StartAsync(CancellationToken.None);
        var waits = new List<TimeSpan>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (waits.Count < 7)
        {
            var due = await clock.Timers.ReadAsync(timeout.Token);
            if (due == options.ClaimAfter / 3)
            {
                continue;
            }

            waits.Add(due);
            clock.Fake.Advance(due); // the next read comes only once the wait has passed on the fake clock
        }

        await consumer.StopAsync(CancellationToken.None);

        // 1 s doubled per failure, capped at 30 s, each jittered down by up to a fifth.
        double[] full = [1, 2, 4, 8, 16, 30, 30];
        Assert.All(waits.Zip(full), w => Assert.InRange(w.First.TotalSeconds, w.Second * 0.8, w.Second));
        Assert.StartsWith("No connection", consumer.Status.LastError ?? "", StringComparison.Ordinal);
    }

    /// <summary>A fake clock that also reports the due time of every timer made on it.</summary>
    private sealed class TimerRecordingClock(FakeTimeProvider fake) : TimeProvider
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

        public FakeTimeProvider Fake => fake;

        public ChannelReader<TimeSpan> Timers => _timers.Reader;

        public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

        public override long GetTimestamp() => fake.GetTimestamp();

        public override long TimestampFrequency => fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _timers.Writer.TryWrite(dueTime);
            return fake.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class UnusedHandler : IStreamEntryHandler<string>
    {
        public string KeyOf(string message) => message;

        public Task<StreamEntryOutcome> HandleAsync(string message, StreamDelivery delivery, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no entry is read while Redis is unreachable");

        public Task OnDeadLetterAsync(string message, StreamDelivery delivery, string reason, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no entry is read while Redis is unreachable");
    }
}
