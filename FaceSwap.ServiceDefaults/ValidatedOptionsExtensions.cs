using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
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

    /// <summary>
    /// Stops the service at start, in one line naming the key, when <c>ConnectionStrings:{name}</c> is missing or empty.
    /// Aspire's clients check it only when first resolved, and an empty value reaches StackExchange.Redis as "is empty
    /// (Parameter 'configuration')".
    /// </summary>
    public static IHostApplicationBuilder AddRequiredConnectionString(this IHostApplicationBuilder builder, string name)
    {
        builder.Services.AddOptions<RequiredConnectionString>(name)
            .Configure(options => options.Value = builder.Configuration.GetConnectionString(name))
            .Validate(options => !string.IsNullOrWhiteSpace(options.Value),
                $"ConnectionStrings:{name} is not set: give it as the environment variable ConnectionStrings__{name} (the AppHost does when it starts the service)")
            .ValidateOnStart();
        return builder;
    }
}
