namespace FaceSwap.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class PostgresAppCollection : ICollectionFixture<PostgresAppFixture>
{
    public const string Name = "Whole app (PostgreSQL)";
}
