using FaceSwap.Processor.Queue;
using FaceSwap.ServiceDefaults;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Processor.Memory;

/// <summary>
/// Gives back what a swap allocated once the processor has no job in hand: a compacting collection of every generation
/// (the large object heap included, where a 4 MP swap leaves about 60 MB of float planes), Skia's resource cache emptied,
/// and a trim of glibc's heaps.
/// </summary>
/// <remarks>
/// The processor is a batch worker with long idle gaps and large, short-lived allocations. Left to itself, the server
/// GC collects the large object heap only when its budget runs out and keeps the memory it freed committed, so a
/// processor that has done a few 4 MP swaps keeps 60-70 MB of heap it does not use until the next job. A blocking
/// collection of a heap that is nearly all garbage took 8-29 ms here (median 11 ms over 8 jobs of 4 MP; docs/benchmarks.md,
/// Processor memory). It runs after the result is published, so the user of this job never waits for it; the next job
/// in the queue starts that much later. With jobs in parallel it waits for the last.
/// <para>
/// Skia keeps the mipmaps it builds to draw a photo scaled down (the detector, the face mesh and the content-safety
/// check each draw one) in a process-wide cache of up to 32 MB. Every photo is new, so nothing in it is ever drawn
/// again: emptied after each job, it took 25 MB off the resident memory between jobs and 20 MB off the peak of a 4 MP
/// job (docs/benchmarks.md, Processor memory).
/// </para>
/// </remarks>
public sealed class JobMemory(IOptions<ProcessorOptions> options, ILogger<JobMemory> logger)
{
    private int jobsInHand;

    /// <summary>Marks a job in hand until the returned scope is disposed.</summary>
    public JobScope Begin()
    {
        Interlocked.Increment(ref jobsInHand);
        return new JobScope(this);
    }

    private void End()
    {
        if (Interlocked.Decrement(ref jobsInHand) == 0 && options.Value.ReleaseMemoryAfterJob)
        {
            var started = TimeProvider.System.GetTimestamp();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            SKGraphics.PurgeResourceCache();
            GlibcHeap.Trim();
            logger.LogDebug("Memory released after the last job in hand in {Elapsed} ms", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public readonly struct JobScope(JobMemory owner) : IDisposable
    {
        public void Dispose() => owner.End();
    }
}
