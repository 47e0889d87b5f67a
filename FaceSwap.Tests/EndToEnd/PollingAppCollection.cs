namespace FaceSwap.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class PollingAppCollection : ICollectionFixture<PollingAppFixture>
{
    public const string Name = "Whole app (polling)";
}
