namespace FaceSwap.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class ModerationAppCollection : ICollectionFixture<ModerationAppFixture>
{
    public const string Name = "Whole app (moderation)";
}
