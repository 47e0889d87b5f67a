using System.Text.Json;
using System.Text.Json.Nodes;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceSwap.Processor.Cli;

/// <summary>
/// Operator commands run by the processor binary instead of the web host:
/// <c>swap --face A --target B --out C [--face-index N | --all] [--engine local|magicapi] [--quality Q]</c> and
/// <c>detect IMAGE</c>. Exit codes: 0 done, 2 bad input or usage (one line on stderr), 1 engine or configuration failure.
/// The arguments are parsed by hand: two commands with a handful of options do not justify a parser whose
/// help and error output would then have to be bent into the one-line-on-stderr contract.
/// </summary>
public static class OperatorCommandLine
{
    public const int Success = 0;
    public const int EngineFailure = 1;
    public const int BadInput = 2;

    private const string Usage =
        "usage: swap --face FACE --target TARGET --out OUT [--face-index N | --all] [--engine local|magicapi] [--quality 1-100] " +
        "[--face-url URL --target-url URL] | detect IMAGE [--draw OUT.png]";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "swap" or "detect";

    public static Task<int> RunAsync(string[] args, CancellationToken ct) => RunAsync(args, Console.Out, Console.Error, ct);

    /// <summary>The same, writing to the given streams (used by tests).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        Dictionary<string, string?> options;
        List<string> positional;
        try
        {
            (options, positional) = Parse(args.Skip(1));
        }
        catch (ArgumentException exception)
        {
            await stderr.WriteLineAsync($"{exception.Message}. {Usage}").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return args[0] switch
            {
                "swap" => await SwapAsync(options, stdout, stderr, ct).ConfigureAwait(false),
                "detect" => await DetectAsync(positional, options, stdout, stderr, ct).ConfigureAwait(false),
                _ => await FailAsync(stderr, BadInput, Usage).ConfigureAwait(false),
            };
        }
        catch (FaceSwapException exception)
        {
            return await FailAsync(stderr, exception.IsTransient ? EngineFailure : BadInput, exception.Message).ConfigureAwait(false);
        }
        catch (OptionsValidationException exception)
        {
            return await FailAsync(stderr, EngineFailure, "configuration: " + string.Join(" ", exception.Failures)).ConfigureAwait(false);
        }
    }

    private static async Task<int> SwapAsync(Dictionary<string, string?> options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!options.TryGetValue("face", out var facePath) || !options.TryGetValue("target", out var targetPath) || !options.TryGetValue("out", out var outPath)
            || facePath is null || targetPath is null || outPath is null)
        {
            return await FailAsync(stderr, BadInput, "swap needs --face, --target and --out. " + Usage).ConfigureAwait(false);
        }

        TargetFaceSelection selection;
        if (options.ContainsKey("all"))
        {
            selection = TargetFaceSelection.AllFaces;
        }
        else if (options.TryGetValue("face-index", out var indexText))
        {
            if (!int.TryParse(indexText, out var index) || index < 0)
            {
                return await FailAsync(stderr, BadInput, "--face-index must be a whole number from 0").ConfigureAwait(false);
            }

            selection = TargetFaceSelection.At(index);
        }
        else
        {
            selection = TargetFaceSelection.Largest;
        }

        var quality = 90;
        if (options.TryGetValue("quality", out var qualityText) && (!int.TryParse(qualityText, out quality) || quality is < 1 or > 100))
        {
            return await FailAsync(stderr, BadInput, "--quality must be between 1 and 100").ConfigureAwait(false);
        }

        var format = Path.GetExtension(outPath).ToLowerInvariant() switch
        {
            ".png" => ImageFormat.Png,
            ".webp" => ImageFormat.Webp,
            _ => ImageFormat.Jpeg,
        };

        var face = await ReadInputAsync(facePath, options.GetValueOrDefault("face-url"), ct).ConfigureAwait(false);
        var target = await ReadInputAsync(targetPath, options.GetValueOrDefault("target-url"), ct).ConfigureAwait(false);
        using var host = BuildHost(options.GetValueOrDefault("engine"));
        var engine = host.Services.GetRequiredService<IFaceSwapEngine>();
        var output = await engine.SwapAsync(new SwapRequest(face, target, new SwapOptions(selection, format, quality)), ct).ConfigureAwait(false);
        await File.WriteAllBytesAsync(outPath, output.Image, ct).ConfigureAwait(false);
        await stdout.WriteLineAsync($"{output.FacesSwapped} face(s) swapped by {engine.Name}; wrote {outPath} ({output.ContentType}, {output.Image.Length} bytes)").ConfigureAwait(false);
        return Success;
    }

    private static async Task<int> DetectAsync(List<string> positional, Dictionary<string, string?> options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (positional.Count != 1)
        {
            return await FailAsync(stderr, BadInput, "detect needs exactly one image path. " + Usage).ConfigureAwait(false);
        }

        var image = await ReadInputAsync(positional[0], null, ct).ConfigureAwait(false);
        using var host = BuildHost(options.GetValueOrDefault("engine"));
        var faces = await host.Services.GetRequiredService<IFaceDetector>().DetectAsync(image, ct).ConfigureAwait(false);
        var json = new JsonObject
        {
            ["faces"] = new JsonArray(faces.Select(f => (JsonNode)new JsonObject
            {
                ["box"] = new JsonObject { ["x"] = Round(f.Box.X), ["y"] = Round(f.Box.Y), ["width"] = Round(f.Box.Width), ["height"] = Round(f.Box.Height) },
                ["score"] = Math.Round(f.Score, 4),
                ["landmarks"] = new JsonArray(f.Landmarks.Select(p => (JsonNode)new JsonArray(Round(p.X), Round(p.Y))).ToArray()),
                ["mesh"] = new JsonArray((f.Mesh ?? []).Select(p => (JsonNode)new JsonArray(Round(p.X), Round(p.Y), Round(p.Z))).ToArray()),
            }).ToArray()),
        };
        await stdout.WriteLineAsync(json.ToJsonString(IndentedJson)).ConfigureAwait(false);
        if (options.GetValueOrDefault("draw") is { } drawPath)
        {
            await File.WriteAllBytesAsync(drawPath, LandmarkOverlay.Draw(image.Bytes.Span, faces), ct).ConfigureAwait(false);
        }

        return Success;
    }

    private static double Round(float value) => Math.Round(value, 1);

    /// <summary>Its own small host, so the processor's configuration keys (FaceSwap:*, MagicApi:*, env vars) apply unchanged.</summary>
    private static IHost BuildHost(string? engine)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, DisableDefaults = false });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var overrides = new Dictionary<string, string?> { ["FaceSwap:Local:LoadModelsAtStart"] = "false" };
        if (!string.IsNullOrWhiteSpace(engine))
        {
            overrides[EngineRegistration.EngineKey] = engine;
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddFaceSwapEngine();
        return builder.Build();
    }

    private static async Task<EngineImage> ReadInputAsync(string path, string? publicUrl, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new FaceSwapException(SwapFailureReason.NotAnImage, $"cannot read {path}: {exception.Message}", exception);
        }

        Uri? url = null;
        if (publicUrl is not null && !Uri.TryCreate(publicUrl, UriKind.Absolute, out url))
        {
            throw new FaceSwapException(SwapFailureReason.NotAnImage, $"not an absolute URL: {publicUrl}");
        }

        return new EngineImage(bytes, url);
    }

    private static (Dictionary<string, string?> Options, List<string> Positional) Parse(IEnumerable<string> args)
    {
        string[] flags = ["all"];
        string[] valued = ["face", "target", "out", "face-index", "engine", "quality", "face-url", "target-url", "draw"];
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            if (flags.Contains(name))
            {
                options[name] = null;
            }
            else if (valued.Contains(name))
            {
                if (!e.MoveNext())
                {
                    throw new ArgumentException($"{arg} needs a value");
                }

                options[name] = e.Current;
            }
            else
            {
                throw new ArgumentException($"unknown option {arg}");
            }
        }

        if (options.ContainsKey("all") && options.ContainsKey("face-index"))
        {
            throw new ArgumentException("--all and --face-index exclude each other");
        }

        return (options, positional);
    }

    private static async Task<int> FailAsync(TextWriter stderr, int code, string message)
    {
        await stderr.WriteLineAsync(message.ReplaceLineEndings(" ")).ConfigureAwait(false);
        return code;
    }
}
