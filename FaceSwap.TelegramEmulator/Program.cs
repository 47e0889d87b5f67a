using FaceSwap.TelegramEmulator.BotApi;
using FaceSwap.TelegramEmulator.Control;
using FaceSwap.TelegramEmulator.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultFiles();
app.UseStaticFiles();

app.MapDefaultEndpoints();
app.MapBotApi();
app.MapFileDownloadApi();
app.MapControlApi();

// A bad setting ends the emulator with one line naming it, as it does the services.
return await app.RunOrExplainAsync();

public partial class Program;
