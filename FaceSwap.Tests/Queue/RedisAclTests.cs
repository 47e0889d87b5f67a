using FaceSwap.AppHost.Redis;
using FaceSwap.Contracts;
using FaceSwap.Processor.Queue;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FaceSwap.Tests.Queue;

/// <summary>
/// The AppHost's Redis users (FaceSwap.AppHost/Redis/RedisAcl.cs) on a real redis-server started with that aclfile:
/// the bot API and the processor each signed in as their own user run a swap through their real code, and each is
/// refused what belongs to the other. A test-only <c>admin</c> user reads the server's ACL LOG.
/// </summary>
public sealed class RedisAclTests : IAsyncLifetime
{
    private const string AdminPassword = "test-admin-7c1e";
    private readonly string _botApiPassword = Guid.NewGuid().ToString("N");
    private readonly string _processorPassword = Guid.NewGuid().ToString("N");
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync()
    {
        const string admin = $",user=admin,password={AdminPassword}";
        _redis = await RedisServer.StartAsync(["--aclfile", "users.acl"], admin, directory => File.WriteAllText(Path.Combine(directory, "users.acl"),
            RedisAcl.FileText(_botApiPassword, _processorPassword) + $"user admin on >{AdminPassword} ~* &* +@all\n"));
        _admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + admin);
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private string As(string user) =>
        _redis.ConnectionString + $",user={user},password={(user == RedisAcl.BotApiUser ? _botApiPassword : _processorPassword)}";

    [Fact]
    public async Task A_swap_runs_with_the_bot_api_and_the_processor_each_signed_in_as_its_own_user_and_nothing_is_refused()
    {
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = As(RedisAcl.BotApiUser) });
        await using var processorRedis = await ConnectionMultiplexer.ConnectAsync(As(RedisAcl.ProcessorUser));
        var engine = new ScriptedEngine { Output = request => request.Target.Bytes.ToArray() };
        await using var worker = await ProcessorQueue.StartAsync(processorRedis, engine);
        var heartbeat = ActivatorUtilities.CreateInstance<ProcessorHeartbeat>(worker.Services);
        await heartbeat.StartAsync(CancellationToken.None);

        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6301;
        await users.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, TimeSpan.FromSeconds(30));
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");
        try
        {
            await users.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            // A refused command shows as a swap that never ends: name what Redis refused.
            throw new TimeoutException(ex.Message + " Redis refused: " + string.Join("; ", await RefusalsAsync()), ex);
        }

        Assert.Equal(1, engine.Calls);

        // The bot API's health checks read the processors' heartbeats and the job backlog as the botapi user.
        var details = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Get, "/health/details"));
        Assert.True(details.IsSuccessStatusCode, await details.Content.ReadAsStringAsync());
        // /deletedata: the bot API lists and deletes the user's photos.
        await users.AskAsync(userId, "/deletedata", TimeSpan.FromSeconds(30));

        await heartbeat.StopAsync(CancellationToken.None);
        await worker.StopAsync();
        Assert.Empty(await RefusalsAsync());
    }

    [Fact]
    public async Task The_processor_is_refused_queuing_a_job_and_writing_listing_or_deleting_the_users_photos()
    {
        await using var botApi = await ConnectionMultiplexer.ConnectAsync(As(RedisAcl.BotApiUser));
        await using var processor = await ConnectionMultiplexer.ConnectAsync(As(RedisAcl.ProcessorUser));
        var photo = QueueNames.BlobPrefix + "user:42:" + Guid.NewGuid().ToString("N");
        await botApi.GetDatabase().StringSetAsync(photo, new byte[] { 1, 2, 3 });
        await botApi.GetDatabase().StreamAddAsync(QueueNames.Results, "payload", "{}");
        var db = processor.GetDatabase();

        // What the processor does is allowed: read the photo, leave a result.
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[]?)await db.StringGetAsync(photo));
        Assert.True(await db.StringSetAsync(QueueNames.ResultBlobKey("job-1"), new byte[] { 4 }));

        var refused = new Dictionary<string, Func<Task>>
        {
            ["XADD jobs"] = () => db.StreamAddAsync(QueueNames.Jobs, "payload", "{}"),
            ["SET a photo"] = () => db.StringSetAsync(photo, new byte[] { 0 }),
            ["DEL a photo"] = () => db.KeyDeleteAsync(photo),
            ["SCAN the photos"] = () => db.ExecuteAsync("SCAN", "0", "MATCH", QueueNames.BlobPrefix + "user:*"),
            ["read the results"] = () => db.StreamRangeAsync(QueueNames.Results),
            ["GET outside faceswap"] = () => db.StringGetAsync("other:key"),
            ["FLUSHALL"] = () => db.ExecuteAsync("FLUSHALL"),
        };
        foreach (var (what, command) in refused)
        {
            var error = await Record.ExceptionAsync(command);
            Assert.True(error is RedisServerException && error.Message.StartsWith("NOPERM", StringComparison.Ordinal), $"{what}: {error?.Message ?? "allowed"}");
        }

        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[]?)await botApi.GetDatabase().StringGetAsync(photo));

        // The bot API may not run admin or dangerous commands, nor touch keys that are not the app's.
        foreach (var command in new Func<Task>[]
                 {
                     () => botApi.GetDatabase().ExecuteAsync("FLUSHALL"),
                     () => botApi.GetDatabase().ExecuteAsync("CONFIG", "SET", "appendonly", "no"),
                     () => botApi.GetDatabase().ExecuteAsync("KEYS", "*"),
                     () => botApi.GetDatabase().StringGetAsync("other:key"),
                 })
        {
            Assert.StartsWith("NOPERM", (await Assert.ThrowsAsync<RedisServerException>(command)).Message, StringComparison.Ordinal);
        }

        // The default user is off: a client without a user name gets nothing.
        await using var anonymous = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().StringGetAsync(photo));
    }

    [Fact]
    public async Task The_processors_scaler_reads_the_job_backlog_as_the_processor_user()
    {
        // KEDA's redis-streams rule in the deployment (deploy.md, processor.tmpl.yaml) signs in as the processor, not
        // as Redis's admin: its three modes are XINFO GROUPS (lag, the one committed), XPENDING and XLEN.
        await using var botApi = await ConnectionMultiplexer.ConnectAsync(As(RedisAcl.BotApiUser));
        await botApi.GetDatabase().StreamCreateConsumerGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, "0", createStream: true);
        for (var i = 0; i < 3; i++)
        {
            await botApi.GetDatabase().StreamAddAsync(QueueNames.Jobs, "payload", "{}");
        }

        await using var scaler = await ConnectionMultiplexer.ConnectAsync(As(RedisAcl.ProcessorUser));
        var db = scaler.GetDatabase();
        var groups = (RedisResult[])(await db.ExecuteAsync("XINFO", "GROUPS", QueueNames.Jobs))!;
        var group = (RedisResult[])groups.Single()!;
        var fields = Enumerable.Range(0, group.Length / 2).ToDictionary(i => group[2 * i].ToString(), i => group[2 * i + 1]);
        Assert.Equal(QueueNames.ProcessorGroup, fields["name"].ToString());
        Assert.Equal(3, (long)fields["lag"]);
        Assert.Equal(0, (await db.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup)).PendingMessageCount);
        Assert.Equal(3, await db.StreamLengthAsync(QueueNames.Jobs));
    }

    /// <summary>What the server refused the two services (ACL LOG), as "user: reason object" lines.</summary>
    private async Task<List<string>> RefusalsAsync()
    {
        var log = (RedisResult[])(await _admin.GetDatabase().ExecuteAsync("ACL", "LOG"))!;
        return log.Select(entry => (RedisResult[])entry!)
            .Select(fields => Enumerable.Range(0, fields.Length / 2).ToDictionary(i => fields[2 * i].ToString(), i => fields[2 * i + 1].ToString()))
            .Where(e => e["username"] is RedisAcl.BotApiUser or RedisAcl.ProcessorUser)
            // StackExchange.Redis asks for a few settings at connect and carries on without them: CONFIG is the admin's.
            .Where(e => e["object"] != "config|get")
            .Select(e => $"{e["username"]}: {e["reason"]} {e["object"]} ({e["context"]})")
            .ToList();
    }
}
