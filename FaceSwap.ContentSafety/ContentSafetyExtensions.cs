using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.ContentSafety;

public static class ContentSafetyExtensions
{
    /// <summary>
    /// The <see cref="ContentSafetyGate"/> singleton and its options from the <c>ContentSafety</c> section, validated
    /// at start by the rules in <see cref="ContentSafetyOptions"/>: a threshold out of range or a missing model stops
    /// the service instead of letting photos through.
    /// </summary>
    public static IServiceCollection AddContentSafety(this IServiceCollection services)
    {
        services.AddValidatedOptions<ContentSafetyOptions>(ContentSafetyOptions.SectionName);
        services.AddSingleton<ContentSafetyGate>();
        return services;
    }
}
