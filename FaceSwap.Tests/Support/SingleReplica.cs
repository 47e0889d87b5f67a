using FaceSwap.BotApi.Data.Leases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Support;

/// <summary>
/// The leases of a lone replica (<c>Replica:Leases=false</c>, as on SQLite): every chat and every scheduled job is its
/// own, without a database, for the tests of a scheduled job's own work.
/// </summary>
public static class SingleReplica
{
    public static LeaseStore Leases(TimeProvider time) =>
        new(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ReplicaOptions { Id = "test", Leases = false }), new ConfigurationBuilder().Build(), time);
}
