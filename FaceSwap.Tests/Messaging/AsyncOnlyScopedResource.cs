namespace FaceSwap.Tests.Messaging;

/// <summary>
/// A scoped dependency of the test handler that can only be disposed asynchronously, as the bot API's results handler
/// holds one (SentReplyLog): a scope holding it throws on a synchronous Dispose. Counts its disposals in the script.
/// </summary>
public sealed class AsyncOnlyScopedResource(StreamScript script) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref script.ScopesDisposed);
        return ValueTask.CompletedTask;
    }
}
