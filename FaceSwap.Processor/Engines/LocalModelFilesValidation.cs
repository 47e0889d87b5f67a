using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Options;

namespace FaceSwap.Processor.Engines;

/// <summary>
/// The local engine's model files exist, checked at start: a missing one names its setting and the path looked at,
/// which a static validation message cannot, so the operator sees at once which file to restore or which key to fix.
/// </summary>
public sealed class LocalModelFilesValidation : IValidateOptions<LocalEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalEngineOptions options)
    {
        var failures = new List<string>();
        // dlib's model is read only when the operator picks the classic pipeline: the default needs nothing outside the repository.
        if (options.UsesClassicPipeline && !File.Exists(options.LandmarkModelPath))
        {
            failures.Add($"FaceSwap:Local:Pipeline=classic needs dlib's landmark model, which was not found at '{options.LandmarkModelPath}' " +
                $"({LocalEngineOptions.SectionName}:LandmarkModelPath). Install it with 'apt-get install libdlib-data' (it lands in " +
                $"{LocalEngineOptions.DebianLandmarkModelPath}) or set FaceSwap:Local:LandmarkModelPath (env FaceSwap__Local__LandmarkModelPath) " +
                "to shape_predictor_68_face_landmarks.dat; or leave the pipeline at its default, mesh, which needs no dlib.");
        }

        Require(failures, "BlazeFace detector", nameof(LocalEngineOptions.DetectorModelPath), options.ResolvedDetectorModelPath);
        Require(failures, "face mesh", nameof(LocalEngineOptions.MeshModelPath), options.ResolvedMeshModelPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string model, string setting, string path)
    {
        if (!File.Exists(path))
        {
            failures.Add($"the {model} model was not found at '{path}' ({LocalEngineOptions.SectionName}:{setting}): " +
                "it ships in the processor's Models folder; rebuild the processor or fix the setting.");
        }
    }
}
