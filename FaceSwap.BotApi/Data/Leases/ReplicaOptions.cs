using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Data.Leases;

/// <summary>
/// <c>Replica:*</c>: who this bot API process is among several on one PostgreSQL database, and how long what it holds
/// (a chat's updates, a scheduled job) stays its own after it stops renewing.
/// </summary>
public sealed class ReplicaOptions : IValidatableObject
{
    public const string SectionName = "Replica";

    /// <summary>
    /// This replica's name in the lease tables and as its consumer in the results group. Default: Container Apps'
    /// <c>CONTAINER_APP_REPLICA_NAME</c> when set, otherwise machine name and process id (a restarted process is a new
    /// replica, so it never mistakes a dead one's leases for its own).
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [MaxLength(200)]
    public string Id { get; set; } = DefaultId(Environment.GetEnvironmentVariable("CONTAINER_APP_REPLICA_NAME"));

    /// <summary>
    /// How long a lease lasts unrenewed: a killed replica's chats and jobs are taken over this long after it stopped.
    /// Renewed every third of it while held.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether chats and scheduled jobs are taken under leases. Default: on PostgreSQL (several replicas may share it),
    /// off on SQLite, whose single writer process is the only replica there can be: every lease is then trivially its
    /// own, and a restart does not wait for its previous process's leases to run out.
    /// </summary>
    public bool? Leases { get; set; }

    /// <summary><c>Replica:Id</c> as configured, or its default.</summary>
    public static string IdFrom(IConfiguration configuration) =>
        configuration[$"{SectionName}:{nameof(Id)}"] is { Length: > 0 } id ? id : DefaultId(Environment.GetEnvironmentVariable("CONTAINER_APP_REPLICA_NAME"));

    public static string DefaultId(string? containerAppReplica) =>
        string.IsNullOrWhiteSpace(containerAppReplica) ? $"{Environment.MachineName}-{Environment.ProcessId}" : containerAppReplica;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseTime < TimeSpan.FromSeconds(1) || LeaseTime > TimeSpan.FromMinutes(10))
        {
            yield return new("Replica:LeaseTime must be between 00:00:01 and 00:10:00.", [nameof(LeaseTime)]);
        }
    }
}
