namespace FaceSwap.Processor;

/// <summary>Names this assembly for tests (several referenced apps declare a global <c>Program</c>).</summary>
public sealed class ProcessorAssembly;
