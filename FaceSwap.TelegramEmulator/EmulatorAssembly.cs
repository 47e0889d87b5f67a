namespace FaceSwap.TelegramEmulator;

/// <summary>
/// Names this assembly for WebApplicationFactory: several test-referenced apps each declare a global
/// <c>Program</c>, so tests pick the emulator's entry point through this type instead.
/// </summary>
public sealed class EmulatorAssembly;
