using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Limits photo decodes running at once to <c>Images:DecodesInParallel</c>: each decode holds tens of megabytes, and
/// the bot API, which owns the database, must not be taken down by a burst of uploads.
/// </summary>
public sealed class ImageDecodeSlots(IOptions<ImageIntakeOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.DecodesInParallel, options.Value.DecodesInParallel);

    /// <summary>Slots free right now.</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>Waits for a free slot (or the token); dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
