using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceSwap.Messaging;

public static class StreamConsumerRegistration
{
    /// <summary>
    /// Runs a <see cref="RedisStreamConsumer{TMessage, THandler}"/> as a hosted service, with <typeparamref name="THandler"/>
    /// resolved from a new scope for every entry. The consumer is also a singleton, so a health check can read its status.
    /// </summary>
    public static IServiceCollection AddStreamConsumer<TMessage, THandler>(this IServiceCollection services,
        Func<IServiceProvider, StreamConsumerOptions> options)
        where THandler : class, IStreamEntryHandler<TMessage>
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<THandler>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RedisStreamConsumer<TMessage, THandler>>(sp, Validated(options(sp))));
        services.AddHostedService(sp => sp.GetRequiredService<RedisStreamConsumer<TMessage, THandler>>());
        return services;
    }

    private static StreamConsumerOptions Validated(StreamConsumerOptions options)
    {
        // The options' own rules (StreamConsumerOptions.Validate included); a service binding them from configuration
        // has already checked them at start through AddValidatedOptions.
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new(options), validateAllProperties: true);
        return options;
    }
}
