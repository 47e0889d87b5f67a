using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FaceSwap.Messaging;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace FaceSwap.Tests.Messaging;

/// <summary>
/// The services' tracing (ServiceDefaults) with the Redis client instrumentation of Aspire.StackExchange.Redis: an idle
/// stream consumer's polling makes no traces, while the Redis calls of an entry being handled stay in its span.
/// </summary>
public sealed partial class IdlePollingTraceTests : IAsyncLifetime
{
    private const string Stream = "trace:stream";
    // The instrumentation exports what it profiled every 10 s; twice that and some.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly ActivitySource WorkSource = new(ServiceDefaultsExtensions.FaceSwapTelemetryName);

    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task An_idle_consumer_makes_no_traces_and_a_handled_entry_keeps_its_redis_calls_in_its_span()
    {
        var spans = new List<Activity>();
        IConnectionMultiplexer? instrumented = null;
        var script = new StreamScript
        {
            Handle = async (message, _) =>
            {
                using var work = WorkSource.StartActivity("handle test entry");
                await instrumented!.GetDatabase().StringSetAsync("trace:handled", message.Body);
                return StreamEntryOutcome.Done;
            },
        };

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = _redis.ConnectionString;
        builder.ConfigureOpenTelemetry();
        builder.AddRedisClient("redis");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.AddSingleton(script).AddScoped<AsyncOnlyScopedResource>().AddStreamConsumer<TestMessage, ScriptedStreamHandler>(_ => new StreamConsumerOptions
        {
            Stream = Stream, Group = "group", Consumer = "idle", DeadLetterStream = Stream + ":dead",
            IdlePollInterval = TimeSpan.FromMilliseconds(50), ClaimAfter = TimeSpan.FromMilliseconds(300),
        });
        using var host = builder.Build();
        instrumented = host.Services.GetRequiredService<IConnectionMultiplexer>();
        await host.StartAsync();
        try
        {
            // Idle: dozens of reads and claims, which made a root span each before.
            var before = await ReadGroupCallsAsync();
            await EmulatorHost.WaitUntilAsync(async () => await ReadGroupCallsAsync() >= before + 20, Patience, "the consumer polls");

            // Then real work: its Redis call is exported with or after the idle ones (the instrumentation turns the
            // commands it profiled into spans every 10 s, its flush interval, which Aspire does not expose).
            await _connection.PublishAsync(Stream, new TestMessage("key", "real work"), "key", null);
            await EmulatorHost.WaitUntilAsync(() => Task.FromResult(Snapshot(spans).Any(s => s.DisplayName == "SET" && s.ParentSpanId != default)),
                Patience, "the handler's Redis call is exported");

            var exported = Snapshot(spans);
            var work = Assert.Single(exported, s => s.OperationName == "handle test entry");
            var set = Assert.Single(exported, s => s.DisplayName == "SET");
            Assert.Equal(work.SpanId, set.ParentSpanId);
            Assert.Equal([work], exported.Where(s => s.ParentSpanId == default));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    // The exporter only appends, one span at a time (its processor serializes exports): a copy sees a prefix.
    private static List<Activity> Snapshot(List<Activity> spans) => [.. spans];

    private async Task<long> ReadGroupCallsAsync()
    {
        var info = (string?)await _connection.GetDatabase().ExecuteAsync("INFO", "commandstats") ?? "";
        return ReadGroupStat().Match(info) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"cmdstat_xreadgroup:calls=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ReadGroupStat();
}
