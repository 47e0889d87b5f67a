using FaceSwap.BotApi.Data.Copy;
using FaceSwap.BotApi.Extensions;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Operations.Backups;
using FaceSwap.BotApi.Telegram;
using FaceSwap.BotApi.Web;

// Operators restore a snapshot with the service stopped: `restore <snapshot> [--database <path>]` runs and exits.
if (RestoreCommand.IsCommand(args))
{
    return await RestoreCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}

// Moving a SQLite deployment to PostgreSQL: `copy-database --from <sqlite> --to <npgsql>` copies, verifies and exits.
if (CopyDatabaseCommand.IsCommand(args))
{
    return await CopyDatabaseCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHttpHardening();
builder.AddApplicationServices();

var app = builder.Build();

// The error handlers first (in UseHttpHardening), so every error after them is ProblemDetails, the rate limiter's 429 included.
app.UseHttpHardening();
// The web session before the rate limiter, so the per-account limit sees who is signed in.
app.UseWebSessions();
app.UseOperations();
app.UseWeb();

app.MapDefaultEndpoints();
app.MapTelegramWebhookApi();
app.MapStripeWebhookApi();
app.MapOperationsApi();
app.MapWebApi();

// A bad setting ends the service with one line naming it, not an unhandled exception's stack trace.
return await app.RunOrExplainAsync();

public partial class Program;
