using FaceSwap.Processor.Memory;
using FaceSwap.Processor.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Tests.Queue;

public sealed class JobMemoryTests
{
    [Fact]
    public void The_heap_is_collected_when_the_last_job_in_hand_ends()
    {
        var memory = new JobMemory(Options.Create(new ProcessorOptions()), NullLogger<JobMemory>.Instance);
        var first = memory.Begin();
        var second = memory.Begin();
        first.Dispose();
        var beforeLast = GC.CollectionCount(GC.MaxGeneration);

        second.Dispose();

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > beforeLast, "no full collection after the last job in hand");
    }

    [Fact]
    public void A_large_job_leaves_no_garbage_behind_it()
    {
        var memory = new JobMemory(Options.Create(new ProcessorOptions()), NullLogger<JobMemory>.Instance);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using (memory.Begin())
        {
            // What a 4 MP swap leaves on the large object heap: float planes of its face region, garbage once it is done.
            for (var i = 0; i < 20; i++)
            {
                GC.KeepAlive(new float[1_000_000]);
            }
        }

        // 80 MB were allocated; without the release after the job, the planes since the last collection would still count.
        var after = GC.GetTotalMemory(forceFullCollection: false);
        Assert.True(after - before < 10_000_000, $"{(after - before) / 1_000_000} MB more heap after the job than before it");
    }

    [Fact]
    public void The_mipmaps_skia_cached_for_a_job_are_dropped_when_it_ends()
    {
        var memory = new JobMemory(Options.Create(new ProcessorOptions()), NullLogger<JobMemory>.Instance);
        using (memory.Begin())
        {
            // As the detector draws a photo into its small input: scaled down with mipmaps, which Skia caches.
            using var photo = new SKBitmap(2000, 2000);
            photo.Erase(SKColors.Coral);
            using var image = SKImage.FromBitmap(photo);
            using var input = new SKBitmap(128, 128);
            using var canvas = new SKCanvas(input);
            canvas.DrawImage(image, new SKRect(0, 0, 128, 128), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            Assert.True(SKGraphics.GetResourceCacheTotalBytesUsed() > 1_000_000, "Skia cached no mipmaps: the test no longer shows anything");
        }

        Assert.True(SKGraphics.GetResourceCacheTotalBytesUsed() < 1_000_000, $"{SKGraphics.GetResourceCacheTotalBytesUsed()} bytes still in Skia's cache after the job");
    }

    [Fact]
    public void Nothing_is_collected_when_the_setting_is_off()
    {
        var memory = new JobMemory(Options.Create(new ProcessorOptions { ReleaseMemoryAfterJob = false }), NullLogger<JobMemory>.Instance);
        var job = memory.Begin();
        var before = GC.GetGCMemoryInfo(GCKind.Any).Index;

        job.Dispose();

        Assert.Equal(before, GC.GetGCMemoryInfo(GCKind.Any).Index);
    }
}
