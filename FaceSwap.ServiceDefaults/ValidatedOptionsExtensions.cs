using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The one way every FaceSwap service registers an options class: bound from its configuration section, checked by
/// the class's own rules (data annotations, and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// for rules across properties) and checked at start, so a bad value stops the service with a message naming the
/// setting instead of failing on first use.
/// </summary>
public static class ValidatedOptionsExtensions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();
}
