namespace FaceSwap.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class MagicApiAppCollection : ICollectionFixture<MagicApiAppFixture>
{
    public const string Name = "Whole app (hosted engine, polling mode)";
}
