using FaceSwap.BotApi.Extensions;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Operations.Backups;
using FaceSwap.BotApi.Telegram;

// Operators restore a snapshot with the service stopped: `restore <snapshot> [--database <path>]` runs and exits.
if (RestoreCommand.IsCommand(args))
{
    return await RestoreCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// The error handlers first, so every error after them is ProblemDetails: a rate limiter's 429 included (it ran
// first before, and its 429 had an empty body).
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOperations();

app.MapDefaultEndpoints();
app.MapTelegramWebhookApi();
app.MapStripeWebhookApi();
app.MapOperationsApi();

// A bad setting ends the service with one line naming it, not an unhandled exception's stack trace.
return await app.RunOrExplainAsync();

public partial class Program;
