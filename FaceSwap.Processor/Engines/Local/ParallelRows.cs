namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Splits per-pixel work on a face region into bands of rows run on the thread pool. Used only for work whose pixels are
/// independent, so the result is the same as a single loop's; sums over the face stay single-threaded (their order would
/// change the last bits).
/// </summary>
internal static class ParallelRows
{
    /// <summary>Below this many pixels a band is not worth a thread hand-over.</summary>
    private const int MinPixelsPerBand = 32_768;

    /// <summary>
    /// Runs <paramref name="body"/>(first row, row past the last) over bands covering <paramref name="height"/> rows of
    /// <paramref name="width"/> pixels (or, with the two swapped, over bands of columns).
    /// </summary>
    public static void For(int width, int height, Action<int, int> body)
    {
        var bands = Math.Clamp((int)((long)width * height / MinPixelsPerBand), 1, Environment.ProcessorCount);
        if (bands == 1)
        {
            body(0, height);
            return;
        }

        Parallel.For(0, bands, band => body(height * band / bands, height * (band + 1) / bands));
    }
}
