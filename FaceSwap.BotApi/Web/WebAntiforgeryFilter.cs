using Microsoft.AspNetCore.Antiforgery;

namespace FaceSwap.BotApi.Web;

/// <summary>
/// Refuses a state-changing request without a valid antiforgery token in the <c>X-CSRF-TOKEN</c> header (from
/// <c>GET /web/api/csrf</c>) with a 403 ProblemDetails. A filter, not the antiforgery middleware: that one only checks forms.
/// </summary>
public sealed class WebAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(title: "Missing or invalid CSRF token",
                detail: $"Send the token from GET /web/api/csrf in the {WebExtensions.CsrfHeaderName} header.", statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}
