namespace FaceSwap.BotApi.Payments;

public static class PaymentsExtensions
{
    /// <summary>Credit packs, Telegram Stars and Stripe Checkout; Stripe only when <c>Stripe:SecretKey</c> is set.</summary>
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PaymentsOptions>(PaymentsOptions.SectionName);
        services.AddValidatedOptions<StripeOptions>(StripeOptions.SectionName);

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to opt one client out
        services.AddHttpClient(StripeCheckout.HttpClientName)
            // Stripe.net retries by itself with idempotency keys; the standard handler would retry POSTs without them.
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(80));
#pragma warning restore EXTEXP0001

        services.AddSingleton<BotLink>();
        services.AddScoped<PaymentBook>();
        services.AddScoped<BuyerNotices>();
        services.AddScoped<StarsPayments>();
        services.AddScoped<StripeCheckout>();
        services.AddScoped<StripeFulfilment>();
        services.AddScoped<PaymentCommands>();
        return builder;
    }
}
