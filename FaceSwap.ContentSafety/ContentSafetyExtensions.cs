using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.ContentSafety;

public static class ContentSafetyExtensions
{
    /// <summary>
    /// The <see cref="ContentSafetyGate"/> singleton and its options from the <c>ContentSafety</c> section, validated
    /// at start: a threshold out of range or a missing model stops the service instead of letting photos through.
    /// </summary>
    public static IServiceCollection AddContentSafety(this IServiceCollection services)
    {
        services.AddOptions<ContentSafetyOptions>()
            .BindConfiguration(ContentSafetyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || File.Exists(o.ResolvedModelPath),
                "the content-safety model was not found at ContentSafety:ModelPath (by default it ships in the service's Models folder as nsfw-mobilenet-v2.onnx).")
            .ValidateOnStart();
        services.AddSingleton<ContentSafetyGate>();
        return services;
    }
}
