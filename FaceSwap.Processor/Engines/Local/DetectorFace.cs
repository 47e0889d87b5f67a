using FaceSwap.ContentSafety;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>A face found by the detector, in image pixels, before landmarks.</summary>
public readonly record struct DetectorFace(SKRect Box, float Score, SKPoint RightEye, SKPoint LeftEye);
