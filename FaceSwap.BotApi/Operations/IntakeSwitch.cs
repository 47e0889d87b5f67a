using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations;

/// <summary>
/// Pauses intake for maintenance: the webhook answers 503 and Telegram keeps the updates and delivers them again
/// later (it retries for up to 24 hours). Starts as <c>Ops:PauseIntake</c>; changed at run time through <c>/ops/intake</c>.
/// </summary>
public sealed class IntakeSwitch(IOptions<OpsOptions> options)
{
    private volatile bool _paused = options.Value.PauseIntake;

    public bool Paused => _paused;

    public void Pause() => _paused = true;

    public void Resume() => _paused = false;
}

/// <summary>Answers 503 on the endpoints it is on while intake is paused.</summary>
public sealed class IntakePausedFilter(IntakeSwitch intake) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (intake.Paused)
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Intake paused",
                detail: "The bot is in maintenance; Telegram will deliver this update again.");
        }

        return await next(context);
    }
}

public sealed record IntakeState(bool Paused);

/// <summary><c>/ops/*</c>: operator actions, allowed with <c>X-Ops-Key</c> (or in Development).</summary>
public static class OpsApi
{
    public static RouteGroupBuilder MapOpsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/ops").WithTags("Operations")
            .AddEndpointFilter(async (context, next) => OpsAccess.IsAllowed(context.HttpContext) ? await next(context) : OpsAccess.Unauthorized());
        group.MapGet("/intake", (IntakeSwitch intake) => TypedResults.Ok(new IntakeState(intake.Paused)));
        group.MapPost("/intake/pause", Pause);
        group.MapPost("/intake/resume", Resume);
        return group.MapOperatorActions();
    }

    public static Ok<IntakeState> Pause(IntakeSwitch intake, ILogger<IntakeSwitch> logger)
    {
        intake.Pause();
        logger.LogWarning("Intake paused by an operator: the webhook answers 503 until resumed");
        return TypedResults.Ok(new IntakeState(true));
    }

    public static Ok<IntakeState> Resume(IntakeSwitch intake, ILogger<IntakeSwitch> logger)
    {
        intake.Resume();
        logger.LogWarning("Intake resumed by an operator");
        return TypedResults.Ok(new IntakeState(false));
    }
}
