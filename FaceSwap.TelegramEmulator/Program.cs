using FaceSwap.TelegramEmulator.BotApi;
using FaceSwap.TelegramEmulator.Control;
using FaceSwap.TelegramEmulator.Extensions;
using FaceSwap.TelegramEmulator.Login;

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
app.MapLoginApi();

// A bad setting ends the emulator with one line naming it, as it does the services.
return await app.RunOrExplainAsync();

public partial class Program;
