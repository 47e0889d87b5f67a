using System.Runtime.InteropServices;

namespace FaceSwap.ServiceDefaults;

/// <summary>
/// Tuning of glibc's malloc, which holds the native memory of SkiaSharp's bitmaps and ONNX Runtime's tensors.
/// </summary>
/// <remarks>
/// No library offers this: it is two libc calls, and only glibc has them (musl, macOS and Windows have neither, and there
/// the calls do nothing). Measured on the processor fed 4 MP jobs (docs/benchmarks.md, Processor memory): without
/// the fixed threshold, resident memory climbed from 121 MB idle to 386 MB (median after a job) while the managed heap
/// stayed under 70 MB.
/// </remarks>
public static class GlibcHeap
{
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD in malloc.h
    private const int MmapThresholdBytes = 128 * 1024; // glibc's own starting value

    private static int fixedOnce;

    /// <summary>
    /// Keeps every allocation of 128 KB and more in its own mapping, returned to the system when freed. glibc starts so,
    /// but raises the threshold to the size of each large block freed (up to 32 MB): after the first photo, a decoded
    /// image (17 MB at 4 MP) comes from the heap instead, and its pages stay resident after it is freed, fragmented
    /// by the small blocks allocated around it. Fixing the threshold turns that adaptation off.
    /// </summary>
    public static void ReturnLargeBlocksToSystem()
    {
        // glibc reads MALLOC_MMAP_THRESHOLD_ itself at start-up: an operator's own value is left as it is.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null
            && Interlocked.Exchange(ref fixedOnce, 1) == 0)
        {
            Call(() => mallopt(MmapThresholdOption, MmapThresholdBytes));
        }
    }

    /// <summary>Gives the free pages at the top of glibc's heaps back to the system (after a large job, for example).</summary>
    public static void Trim()
    {
        if (OperatingSystem.IsLinux())
        {
            Call(() => malloc_trim(0));
        }
    }

    private static void Call(Func<int> libcCall)
    {
        try
        {
            libcCall();
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (e.g. musl in an Alpine image): its allocator returns large blocks by itself.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int option, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
