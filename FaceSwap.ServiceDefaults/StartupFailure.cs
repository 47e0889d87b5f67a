using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A service that cannot start because of a setting says so in one line. Options are validated at start, and the
/// exception that follows is otherwise printed by the runtime as an unhandled exception: forty lines of stack trace
/// with the setting somewhere in the middle.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>Runs the app; a failed options validation ends it with <see cref="ExitCode"/> and one line on stderr.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        // Read before running: a failed start disposes the host, and its services with it.
        var service = app.Environment.ApplicationName;
        // Only when the service is the process: a host run in another's process (WebApplicationFactory in the tests)
        // learns of the failure from the exception.
        var ownsProcess = Assembly.GetEntryAssembly()?.GetName().Name == service;
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex) when (ownsProcess)
        {
            await Console.Error.WriteLineAsync(Describe(service, ex));
            return ExitCode;
        }
    }

    /// <summary>The line: the service, then every failure of the validation, each naming its key.</summary>
    public static string Describe(string service, OptionsValidationException exception) =>
        $"{service} cannot start: a setting is invalid: " +
        string.Join(" ", exception.Failures.Select(failure => failure.ReplaceLineEndings(" ").Trim()));
}
