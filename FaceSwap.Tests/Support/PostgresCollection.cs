namespace FaceSwap.Tests.Support;

/// <summary>The tests that share one <see cref="PostgresServer"/> (each class on a database of its own).</summary>
[CollectionDefinition(PostgresServer.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;
