using FaceSwap.BotApi.Extensions;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapTelegramWebhookApi();
app.MapStripeWebhookApi();

app.Run();

public partial class Program;
