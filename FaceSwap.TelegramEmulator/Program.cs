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

app.Run();

public partial class Program;
