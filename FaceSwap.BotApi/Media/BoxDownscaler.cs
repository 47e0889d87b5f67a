namespace FaceSwap.BotApi.Media;

/// <summary>
/// Shrinks an image fed to it one row at a time: each output pixel is the average of the block of source pixels it
/// covers (a box filter, weighted by alpha so transparent pixels lend no colour). It holds one row of sums, so
/// downscaling costs the output plus a row, whatever the source size.
/// </summary>
/// <remarks>Skia resizes only whole images in memory; that is what this avoids, so it is written here.</remarks>
public sealed class BoxDownscaler
{
    private readonly int _sourceHeight;
    private readonly int _targetWidth;
    private readonly int _targetHeight;
    private readonly int[] _columnStart;
    private readonly ulong[] _sums;
    private int _targetRow;
    private int _rowsSummed;

    public BoxDownscaler(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        if (targetWidth < 1 || targetHeight < 1 || targetWidth > sourceWidth || targetHeight > sourceHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(targetWidth), $"cannot shrink {sourceWidth}x{sourceHeight} to {targetWidth}x{targetHeight}");
        }

        _sourceHeight = sourceHeight;
        _targetWidth = targetWidth;
        _targetHeight = targetHeight;
        // Source column x belongs to target column floor(x * targetWidth / sourceWidth); these are the first columns of each.
        _columnStart = new int[targetWidth + 1];
        for (var column = 0; column <= targetWidth; column++)
        {
            _columnStart[column] = (int)(((long)column * sourceWidth + targetWidth - 1) / targetWidth);
        }

        _sums = new ulong[targetWidth * 4];
    }

    /// <summary>Adds source row <paramref name="y"/> (rows in order, from 0); writes each target row into <paramref name="output"/> (RGBA, not premultiplied, rows packed) once complete.</summary>
    public void AddRow(int y, ReadOnlySpan<byte> rgba, Span<byte> output)
    {
        var targetRow = (int)((long)y * _targetHeight / _sourceHeight);
        if (targetRow != _targetRow)
        {
            Flush(output);
            _targetRow = targetRow;
        }

        for (var column = 0; column < _targetWidth; column++)
        {
            ulong red = 0, green = 0, blue = 0, alpha = 0;
            for (var x = _columnStart[column]; x < _columnStart[column + 1]; x++)
            {
                var pixel = rgba.Slice(x * 4, 4);
                uint a = pixel[3];
                red += pixel[0] * a;
                green += pixel[1] * a;
                blue += pixel[2] * a;
                alpha += a;
            }

            var sums = _sums.AsSpan(column * 4, 4);
            sums[0] += red;
            sums[1] += green;
            sums[2] += blue;
            sums[3] += alpha;
        }

        _rowsSummed++;
        if (y == _sourceHeight - 1)
        {
            Flush(output);
        }
    }

    private void Flush(Span<byte> output)
    {
        if (_rowsSummed == 0)
        {
            return;
        }

        var row = output.Slice(_targetRow * _targetWidth * 4, _targetWidth * 4);
        for (var column = 0; column < _targetWidth; column++)
        {
            var sums = _sums.AsSpan(column * 4, 4);
            var count = (ulong)(_columnStart[column + 1] - _columnStart[column]) * (ulong)_rowsSummed;
            var alpha = sums[3];
            var pixel = row.Slice(column * 4, 4);
            if (alpha == 0)
            {
                pixel.Clear();
            }
            else
            {
                pixel[0] = (byte)((sums[0] + alpha / 2) / alpha);
                pixel[1] = (byte)((sums[1] + alpha / 2) / alpha);
                pixel[2] = (byte)((sums[2] + alpha / 2) / alpha);
                pixel[3] = (byte)((alpha + count / 2) / count);
            }

            sums.Clear();
        }

        _rowsSummed = 0;
    }
}
