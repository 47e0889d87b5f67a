/// <summary>
/// The app's secrets as parameters marked secret. In publish mode all of them appear in the manifest (azd asks
/// for them); in a local run only those configured (user secrets or <c>Parameters__*</c> variables) are added,
/// so a run with none at all needs no prompt.
/// </summary>
internal sealed record FaceSwapSecrets(
    IResourceBuilder<ParameterResource>? TelegramBotToken,
    IResourceBuilder<ParameterResource>? TelegramWebhookSecret,
    IResourceBuilder<ParameterResource>? StripeSecretKey,
    IResourceBuilder<ParameterResource>? StripeWebhookSecret,
    IResourceBuilder<ParameterResource>? MagicApiKey,
    IResourceBuilder<ParameterResource>? OpsApiKey,
    IResourceBuilder<ParameterResource>? MediaSigningKey)
{
    public static FaceSwapSecrets Add(IDistributedApplicationBuilder builder)
    {
        IResourceBuilder<ParameterResource>? Secret(string name) =>
            builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{name}"])
                ? builder.AddParameter(name, secret: true)
                : null;

        return new(
            Secret("telegram-bot-token"),
            Secret("telegram-webhook-secret"),
            Secret("stripe-secret-key"),
            Secret("stripe-webhook-secret"),
            Secret("magicapi-key"),
            Secret("ops-api-key"),
            Secret("media-signing-key"));
    }
}

internal static class SecretEnvironmentExtensions
{
    /// <summary>Passes a secret parameter as an environment variable when it exists.</summary>
    public static IResourceBuilder<T> WithSecret<T>(this IResourceBuilder<T> resource, string variable, IResourceBuilder<ParameterResource>? secret)
        where T : IResourceWithEnvironment =>
        secret is null ? resource : resource.WithEnvironment(variable, secret);
}
