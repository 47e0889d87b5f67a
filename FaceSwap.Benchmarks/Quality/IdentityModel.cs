using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>A face-recognition model as the benchmark uses it: an embedding of the face at a mesh's place in a photo.</summary>
public sealed record IdentityModel(string Name, Func<SKBitmap, MeshFace, float[]> Embed);
