using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Who may see operator-only endpoints (<c>/health/details</c>, <c>/ops/*</c>): anyone in Development, otherwise only a
/// caller presenting <c>Ops:ApiKey</c> in the <c>X-Ops-Key</c> header. With no key configured, nobody outside Development.
/// </summary>
public static class OpsAccess
{
    public const string KeyHeader = "X-Ops-Key";
    public const string KeySetting = "Ops:ApiKey";

    public static bool IsAllowed(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return true;
        }

        var expected = services.GetRequiredService<IConfiguration>()[KeySetting];
        if (string.IsNullOrEmpty(expected) || !context.Request.Headers.TryGetValue(KeyHeader, out var presented))
        {
            return false;
        }

        // Constant time, so response timing reveals nothing about the key.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.ToString()), Encoding.UTF8.GetBytes(expected));
    }

    public static ProblemHttpResult Unauthorized() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
        title: "Operator key required", detail: $"Send the {KeySetting} value in the {KeyHeader} header.");
}
