using System.Security.Cryptography;
using System.Text;
using FaceSwap.Contracts;

namespace FaceSwap.AppHost.Redis;

/// <summary>
/// Redis's users, one per role (docs/operations/queues.md, "Redis users"): <c>botapi</c> may use every
/// <c>faceswap:*</c> key and channel but no admin or dangerous command; <c>processor</c> may consume the job stream,
/// read the users' input photos, write results, dead letters and its heartbeat, and nothing else: it cannot queue a
/// job, list, change or delete a user's photos, or read the results stream. The rules live here once and reach the
/// server two ways: as an <c>aclfile</c> (<see cref="FileText"/>: the local server, whose default user is off) and
/// as redis-server arguments for the container's shell (<see cref="ShellArguments"/>: container and Azure, where the
/// default user stays the admin).
/// </summary>
public static class RedisAcl
{
    public const string BotApiUser = "botapi";
    public const string ProcessorUser = "processor";

    public static readonly IReadOnlyList<string> Users = [BotApiUser, ProcessorUser];

    // What every client does besides its keys: StackExchange.Redis's handshake (CLIENT SETNAME/SETINFO, INFO, ECHO,
    // CLUSTER NODES, a GET of its tie-breaker key; CONFIG GET stays refused, it works without) and the health checks' PING.
    private static readonly string[] Connection = ["+@connection", "+info", "+echo", "+ping", "+cluster|nodes"];

    private const string TieBreaker = "__Booksleeve_TieBreak";

    // StackExchange.Redis subscribes every connection to its configuration-change channel.
    private const string LibraryChannel = "&__Booksleeve_MasterChanged";

    /// <summary>
    /// A user's rules, one ACL token each (a selector in parentheses is one token), without its state or password.
    /// </summary>
    public static IReadOnlyList<string> Rules(string user) => user switch
    {
        BotApiUser => ["resetkeys", "resetchannels", "~faceswap:*", $"%R~{TieBreaker}", "&faceswap:*", LibraryChannel, "+@all", "-@admin", "-@dangerous", .. Connection],
        ProcessorUser => ["resetkeys", "resetchannels", "nocommands", .. ProcessorRules],
        _ => throw new ArgumentOutOfRangeException(nameof(user), user, "not a user of RedisAcl"),
    };

    public static string FileText(string botApiPassword, string processorPassword) => string.Join('\n',
        "user default off resetpass nocommands resetkeys resetchannels",
        FileLine(BotApiUser, botApiPassword),
        FileLine(ProcessorUser, processorPassword),
        "");

    /// <summary>
    /// The user as <c>redis-server --user ...</c> arguments in a POSIX shell command line, its password read from the
    /// environment variable <paramref name="passwordVariable"/> when the shell runs, so neither the manifest nor the
    /// container's arguments hold it. Every rule is single-quoted: <c>&amp;</c>, <c>*</c>, <c>(</c> and <c>&gt;</c> mean
    /// something to the shell.
    /// </summary>
    public static IEnumerable<string> ShellArguments(string user, string passwordVariable) =>
        ["--user", ShellQuote(user), "on", $"\">${{{passwordVariable}}}\"", .. Rules(user).Select(ShellQuote)];

    /// <summary>
    /// The root rules cover the job stream (consuming it is a write: XREADGROUP moves the group) and the channels;
    /// each selector in parentheses pairs commands with the keys they may touch, so XADD reaches the results and the
    /// dead letters but never the job stream, and GET reads photos that SET and DEL cannot reach.
    /// </summary>
    private static string[] ProcessorRules =>
    [
        .. Connection,
        $"&{QueueNames.JobsNudge}", $"&{QueueNames.JobStarted}", $"&{QueueNames.ResultsNudge}", LibraryChannel, "+subscribe", "+unsubscribe", "+publish",
        $"~{QueueNames.Jobs}", "+xreadgroup", "+xautoclaim", "+xclaim", "+xack", "+xpending", "+xinfo|groups", "+xgroup|create", "+xtrim", "+xlen",
        $"(~{QueueNames.Results} ~{QueueNames.DeadLetter} +xadd)",
        $"(%R~{QueueNames.BlobPrefix}user:* +get)",
        $"(~{QueueNames.ResultBlobKey("")}* +set +setex +get)",
        $"(~{QueueNames.HeartbeatPrefix}* +set +setex +del +unlink)",
        $"(%R~{TieBreaker} +get)",
    ];

    // Passwords as SHA-256, so the file holds none.
    private static string FileLine(string user, string password) => $"user {user} on #{Sha256(password)} {string.Join(' ', Rules(user))}";

    private static string ShellQuote(string token) => "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Sha256(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
}
