using FaceSwap.Processor.Cli;
using FaceSwap.Processor.Extensions;
using FaceSwap.Processor.Operations;

// The same executable is the operator's command line: `swap ...` and `detect ...` run once and exit.
if (OperatorCommandLine.IsCommand(args))
{
    return await OperatorCommandLine.RunAsync(args, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHttpHardening();
builder.AddApplicationServices();

var app = builder.Build();

// Every error of /ops and the health endpoints is ProblemDetails, as on the bot API.
app.UseHttpHardening();
app.MapDefaultEndpoints();
app.MapProcessorOpsApi();

// A bad setting ends the service with one line naming it, not an unhandled exception's stack trace.
return await app.RunOrExplainAsync();
public partial class Program;
