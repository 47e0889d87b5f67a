using System.Security.Cryptography;
using System.Text;
using FaceSwap.Contracts;

namespace FaceSwap.AppHost.Redis;

/// <summary>
/// Redis's users, one per role (docs/operations/queues.md, "Redis users"): the default user is off; <c>botapi</c> may
/// use every <c>faceswap:*</c> key and channel but no admin or dangerous command; <c>processor</c> may consume the
/// job stream, read the users' input photos, write results, dead letters and its heartbeat, and nothing else: it
/// cannot queue a job, list, change or delete a user's photos, or read the results stream. The text is an
/// <c>aclfile</c> (passwords as SHA-256, so the file holds none), used by the local server and by the tests.
/// </summary>
public static class RedisAcl
{
    public const string BotApiUser = "botapi";
    public const string ProcessorUser = "processor";

    // What every client does besides its keys: StackExchange.Redis's handshake (CLIENT SETNAME/SETINFO, INFO, ECHO,
    // CLUSTER NODES, a GET of its tie-breaker key; CONFIG GET stays refused, it works without) and the health checks' PING.
    private const string Connection = "+@connection +info +echo +ping +cluster|nodes";

    private const string TieBreaker = "__Booksleeve_TieBreak";

    // StackExchange.Redis subscribes every connection to its configuration-change channel.
    private const string LibraryChannel = "&__Booksleeve_MasterChanged";

    public static string FileText(string botApiPassword, string processorPassword) => string.Join('\n',
        "user default off resetpass nocommands resetkeys resetchannels",
        $"user {BotApiUser} on #{Sha256(botApiPassword)} resetkeys resetchannels ~faceswap:* %R~{TieBreaker} &faceswap:* {LibraryChannel} +@all -@admin -@dangerous {Connection}",
        $"user {ProcessorUser} on #{Sha256(processorPassword)} resetkeys resetchannels nocommands " + ProcessorRules,
        "");

    /// <summary>
    /// The root rules cover the job stream (consuming it is a write: XREADGROUP moves the group) and the channels;
    /// each selector in parentheses pairs commands with the keys they may touch, so XADD reaches the results and the
    /// dead letters but never the job stream, and GET reads photos that SET and DEL cannot reach.
    /// </summary>
    private static string ProcessorRules => string.Join(' ',
        Connection,
        $"&{QueueNames.JobsNudge} &{QueueNames.JobStarted} &{QueueNames.ResultsNudge} {LibraryChannel} +subscribe +unsubscribe +publish",
        $"~{QueueNames.Jobs} +xreadgroup +xautoclaim +xclaim +xack +xpending +xinfo|groups +xgroup|create +xtrim +xlen",
        $"(~{QueueNames.Results} ~{QueueNames.DeadLetter} +xadd)",
        $"(%R~{QueueNames.BlobPrefix}user:* +get)",
        $"(~{QueueNames.ResultBlobKey("")}* +set +setex +get)",
        $"(~{QueueNames.HeartbeatPrefix}* +set +setex +del +unlink)",
        $"(%R~{TieBreaker} +get)");

    private static string Sha256(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
}
