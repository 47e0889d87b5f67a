using System.Diagnostics;
using FaceSwap.ContentSafety;
using FaceSwap.Processor.Engines.Local;
using FaceSwap.Processor.Engines.MagicApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceSwap.Processor.Engines;

public static class EngineRegistration
{
    public const string EngineKey = $"{EngineChoiceOptions.SectionName}:{nameof(EngineChoiceOptions.Engine)}";

    /// <summary>
    /// Registers the engine chosen by <c>FaceSwap:Engine</c> (<c>local</c> by default, or <c>magicapi</c>) as the
    /// singleton <see cref="IFaceSwapEngine"/>, the local <see cref="IFaceDetector"/> (always), their validated options,
    /// and the health check <c>engine</c>. Whichever engine it is, its results go through the content-safety gate
    /// (<see cref="ContentScreenedEngine"/>, section <c>ContentSafety</c>).
    /// </summary>
    public static IHostApplicationBuilder AddFaceSwapEngine(this IHostApplicationBuilder builder)
    {
        // Read here as well as bound: the choice decides what is registered, before any options are resolved.
        builder.Services.AddValidatedOptions<EngineChoiceOptions>(EngineChoiceOptions.SectionName);
        var engine = (builder.Configuration.GetSection(EngineChoiceOptions.SectionName).Get<EngineChoiceOptions>() ?? new()).Name;
        // Choosing a face in a group photo uses the local detector whatever engine swaps (the hosted one cannot detect).
        builder.Services.AddValidatedOptions<LocalEngineOptions>(LocalEngineOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<LocalEngineOptions>, LocalModelFilesValidation>();
        builder.Services.AddSingleton<LocalFaceSwapEngine>();
        builder.Services.AddSingleton<IFaceDetector>(sp => sp.GetRequiredService<LocalFaceSwapEngine>());
        if (builder.Configuration.GetValue($"{LocalEngineOptions.SectionName}:{nameof(LocalEngineOptions.LoadModelsAtStart)}", true))
        {
            builder.Services.AddHostedService<LocalModelWarmup>();
        }

        switch (engine)
        {
            case LocalFaceSwapEngine.EngineName:
                builder.Services.AddSingleton<IFaceSwapEngine>(sp => sp.GetRequiredService<LocalFaceSwapEngine>());
                break;

            case MagicApiFaceSwapEngine.EngineName:
                builder.AddMagicApiEngine();
                break;

            default:
                // No engine of that name: the start (or the operator command resolving the engine) stops with the
                // options' own message naming FaceSwap:Engine.
                builder.Services.AddSingleton<IFaceSwapEngine>(sp =>
                {
                    _ = sp.GetRequiredService<IOptions<EngineChoiceOptions>>().Value;
                    throw new UnreachableException($"{EngineKey} '{engine}' passed its validation");
                });
                break;
        }

        builder.Services.AddContentSafety();
        ScreenResults(builder.Services);

        builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine");
        return builder;
    }

    /// <summary>
    /// Replaces the engine's registration with the same engine inside <see cref="ContentScreenedEngine"/>. Done here,
    /// after the choice, so no engine's own registration has to know about the gate and none can skip it.
    /// </summary>
    private static void ScreenResults(IServiceCollection services)
    {
        var chosen = services.Last(d => d.ServiceType == typeof(IFaceSwapEngine));
        services.Remove(chosen);
        services.AddSingleton<IFaceSwapEngine>(sp => ActivatorUtilities.CreateInstance<ContentScreenedEngine>(sp, Create(sp, chosen)));
    }

    private static IFaceSwapEngine Create(IServiceProvider services, ServiceDescriptor descriptor) => (IFaceSwapEngine)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
