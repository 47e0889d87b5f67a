using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// Runs the app; a failed start (an invalid setting, a missing connection string, a port in use) ends it with
    /// <see cref="ExitCode"/> and one line on stderr.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        // Read before running: a failed start disposes the host, and its services with it.
        var service = app.Environment.ApplicationName;
        // Only when the service is the process: a host run in another's process (WebApplicationFactory in the tests)
        // learns of the failure from the exception.
        var ownsProcess = Assembly.GetEntryAssembly()?.GetName().Name == service;
        await using (app)
        {
            try
            {
                // The host checks the options only after it has built its hosted services, and building those may already
                // need a setting (a consumer its Redis connection): checked first, every bad setting is named.
                app.Services.GetService<IStartupValidator>()?.Validate();
                await app.StartAsync();
            }
            catch (OptionsValidationException ex) when (ownsProcess)
            {
                await Console.Error.WriteLineAsync(Describe(service, ex));
                return ExitCode;
            }
            catch (Exception ex) when (ownsProcess && ex is not OperationCanceledException)
            {
                // What failed is in the messages (Aspire's clients name the missing ConnectionStrings key and how to give
                // it); the stack trace is in the host's own log line above, for whoever needs it.
                await Console.Error.WriteLineAsync($"{service} cannot start: {Messages(ex)}");
                return ExitCode;
            }

            await app.WaitForShutdownAsync();
            return 0;
        }
    }

    /// <summary>The exception's message and its inner ones', each once, on one line.</summary>
    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }

    /// <summary>The line: the service, then every failure of the validation, each naming its key.</summary>
    public static string Describe(string service, OptionsValidationException exception) =>
        $"{service} cannot start: a setting is invalid: " +
        string.Join(" ", exception.Failures.Select(failure => failure.ReplaceLineEndings(" ").Trim()));
}
