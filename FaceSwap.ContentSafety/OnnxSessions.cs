using Microsoft.ML.OnnxRuntime;

namespace FaceSwap.ContentSafety;

/// <summary>
/// How the small ONNX models are opened: one thread each, quiet logs. Here because the content-safety classifier is
/// opened the same way in both services; the processor's face models use it too.
/// </summary>
public static class OnnxSessions
{
    public static InferenceSession OpenSingleThreaded(string modelPath)
    {
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            // The models are small per call; extra threads only compete with the other swaps running on the same cores.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // Some models carry unused initialisers ONNX Runtime warns about on every load; the CLI keeps stderr to one line.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            // The arena keeps, for the life of the process, the most memory any runs ever needed at once (the face
            // photo and the target are analysed side by side): about 20 MB of the processor's resident memory between
            // jobs and at its peak (docs/benchmarks.md, Processor memory). The models' tensors are small (a 192x192 input
            // at most), so each run allocates them anew.
            EnableCpuMemArena = false,
        };
        return new InferenceSession(modelPath, sessionOptions);
    }
}
