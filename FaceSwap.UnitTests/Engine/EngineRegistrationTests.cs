using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using FaceSwap.Processor.Engines.MagicApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Engine;

[Collection(EngineCollection.Name)]
public sealed class EngineRegistrationTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFaceSwapEngine();
        return builder.Build();
    }

    [Fact]
    public async Task Local_is_the_default_and_reports_healthy_once_models_load()
    {
        using var host = Build(new() { ["FaceSwap:Local:LoadModelsAtStart"] = "false" });

        var engine = host.Services.GetRequiredService<IFaceSwapEngine>();
        Assert.IsType<LocalFaceSwapEngine>(Assert.IsType<ContentScreenedEngine>(engine).Inner);
        Assert.Same(engine, host.Services.GetRequiredService<IFaceSwapEngine>());

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, report.Entries["engine"].Status);
    }

    [Fact]
    public async Task The_default_pipeline_starts_without_dlibs_model()
    {
        using var host = Build(new()
        {
            ["FaceSwap:Local:LandmarkModelPath"] = "/nonexistent/shape_predictor_68_face_landmarks.dat",
            ["FaceSwap:Local:LoadModelsAtStart"] = "false",
        });

        await host.StartAsync(CancellationToken.None);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);
        await host.StopAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, report.Entries["engine"].Status);
    }

    [Fact]
    public async Task The_classic_pipeline_without_dlibs_model_fails_at_start_with_how_to_get_it()
    {
        using var host = Build(new()
        {
            ["FaceSwap:Local:Pipeline"] = "classic",
            ["FaceSwap:Local:LandmarkModelPath"] = "/nonexistent/shape_predictor_68_face_landmarks.dat",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("apt-get install libdlib-data", error.Message, StringComparison.Ordinal);
        Assert.Contains("FaceSwap:Local:LandmarkModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_pipeline_is_refused_at_start()
    {
        using var host = Build(new() { ["FaceSwap:Local:Pipeline"] = "neural" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("FaceSwap:Local:Pipeline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_model_makes_the_local_engine_unhealthy_with_the_reason()
    {
        var engine = new LocalFaceSwapEngine(
            Options.Create(new LocalEngineOptions { MeshModelPath = "/nonexistent/facemesh.onnx" }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LocalFaceSwapEngine>.Instance);

        var health = await engine.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("face mesh", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Magicapi_is_chosen_by_configuration_and_takes_the_key_from_MAGICAPI_KEY()
    {
        using var host = Build(new() { ["FaceSwap:Engine"] = "magicapi", ["MAGICAPI_KEY"] = "from-env" });

        Assert.IsType<MagicApiFaceSwapEngine>(Assert.IsType<ContentScreenedEngine>(host.Services.GetRequiredService<IFaceSwapEngine>()).Inner);
        Assert.Equal("from-env", host.Services.GetRequiredService<IOptions<MagicApiOptions>>().Value.Key);
    }

    [Fact]
    public async Task Magicapi_without_a_key_fails_at_start()
    {
        using var host = Build(new() { ["FaceSwap:Engine"] = "magicapi" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));
        Assert.Contains("MAGICAPI_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_engine_name_is_refused_at_start_and_when_the_engine_is_resolved()
    {
        using var host = Build(new() { ["FaceSwap:Engine"] = "deepfake9000" });

        var atStart = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));
        var resolved = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IFaceSwapEngine>());

        Assert.Contains("FaceSwap:Engine must be 'local' or 'magicapi'.", atStart.Message, StringComparison.Ordinal);
        Assert.Contains("FaceSwap:Engine must be 'local' or 'magicapi'.", resolved.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MagicApi")]
    [InlineData(" local ")]
    public void The_engine_name_is_read_in_any_case_and_trimmed(string name)
    {
        using var host = Build(new() { ["FaceSwap:Engine"] = name, ["MAGICAPI_KEY"] = "k" });

        Assert.Equal(name.Trim().ToLowerInvariant(), host.Services.GetRequiredService<IOptions<EngineChoiceOptions>>().Value.Name);
    }
}
