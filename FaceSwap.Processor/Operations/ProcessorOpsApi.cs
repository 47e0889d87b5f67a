using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceSwap.Processor.Operations;

/// <summary><c>/ops/*</c> of the processor: drain and resume, allowed with <c>X-Ops-Key</c> (or in Development).</summary>
public static class ProcessorOpsApi
{
    /// <summary>How long a drain request waits for the jobs in hand before answering "still draining".</summary>
    public static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(20);

    public static RouteGroupBuilder MapProcessorOpsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/ops").WithTags("Operations")
            .AddEndpointFilter(async (context, next) => OpsAccess.IsAllowed(context.HttpContext) ? await next(context) : OpsAccess.Unauthorized());
        group.MapGet("/drain", (ProcessorDrain drain) => TypedResults.Ok(drain.State));
        group.MapPost("/drain", DrainAsync);
        group.MapPost("/resume", ResumeAsync);
        return group;
    }

    public static async Task<Ok<ProcessorDrainState>> DrainAsync(ProcessorDrain drain, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drain.DrainAsync(DrainWait, cancellationToken));

    public static async Task<Results<Ok<ProcessorDrainState>, ProblemHttpResult>> ResumeAsync(ProcessorDrain drain, CancellationToken cancellationToken)
    {
        var state = await drain.ResumeAsync(cancellationToken);
        return state.Draining
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Still draining",
                detail: $"{state.InHand} jobs are still being finished; resume once POST /ops/drain reports drained.")
            : TypedResults.Ok(state);
    }
}
