namespace FaceSwap.BotApi;

/// <summary>
/// Names this assembly for WebApplicationFactory: the test project references several apps that each declare a
/// global <c>Program</c>, so tests pick the bot API's entry point through this type.
/// </summary>
public sealed class BotApiAssembly;
