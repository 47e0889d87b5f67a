namespace FaceSwap.Tests.Engine;

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "Engine";
}
