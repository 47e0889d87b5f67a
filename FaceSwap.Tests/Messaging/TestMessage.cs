namespace FaceSwap.Tests.Messaging;

public sealed record TestMessage(string Key, string Body);
