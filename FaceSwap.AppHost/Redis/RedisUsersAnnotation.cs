namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Marks a Redis resource whose clients sign in as one of <see cref="FaceSwap.AppHost.Redis.RedisAcl"/>'s users, and
/// gives each user's connection string (address, user name, password), so <c>WithRedisUser</c> can hand a service
/// its own instead of the resource's admin connection string.
/// </summary>
public sealed class RedisUsersAnnotation(Func<string, ReferenceExpression> connectionStringFor) : IResourceAnnotation
{
    public ReferenceExpression ConnectionStringFor(string user) => connectionStringFor(user);
}
