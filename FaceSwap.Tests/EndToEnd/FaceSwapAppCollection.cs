namespace FaceSwap.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class FaceSwapAppCollection : ICollectionFixture<FaceSwapAppFixture>
{
    public const string Name = "Whole app (webhook)";
}
