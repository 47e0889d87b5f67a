namespace FaceSwap.BotApi;

/// <summary>
/// Wakes a background worker when there is new work for it, so it need not poll fast; the worker still polls
/// slowly as a fallback. One per worker type, so a wake-up reaches only the worker it is meant for.
/// </summary>
public sealed class WakeSignal<TWorker>
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers all the work that arrived since.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
