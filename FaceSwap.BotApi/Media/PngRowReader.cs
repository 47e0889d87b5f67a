using System.Buffers.Binary;
using System.IO.Compression;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Reads a non-interlaced PNG one row at a time as 8-bit RGBA (not premultiplied), so a 40 MP upload can be downscaled
/// while holding only two of its rows.
/// </summary>
/// <remarks>
/// Written here because SkiaSharp 4.155's PNG codec answers <c>Unimplemented</c> to <c>StartScanlineDecode</c> and
/// cannot decode at a reduced scale, so Skia can only decode a PNG whole. Only the container and the row filters are
/// read by hand; the inflating is .NET's <see cref="ZLibStream"/>. Skia has already accepted the file's header before
/// this runs, and the rows read are bounded by that header, so a file cannot make this hold more than two rows.
/// Colour profiles and gamma are ignored, as Skia does when decoding with no colour space.
/// </remarks>
public sealed class PngRowReader : IDisposable
{
    private const int HeaderChunkOffset = 8;
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly ZLibStream _inflater;
    private readonly int _bitDepth;
    private readonly int _colourType;
    private readonly int _bytesPerPixel;
    private readonly byte[] _palette;
    private readonly byte[]? _transparentKey;
    private byte[] _row;
    private byte[] _previousRow;

    private PngRowReader(int width, int height, int bitDepth, int colourType, List<ReadOnlyMemory<byte>> imageData, byte[] palette, byte[]? transparentKey)
    {
        Width = width;
        Height = height;
        _bitDepth = bitDepth;
        _colourType = colourType;
        var bitsPerPixel = ChannelsOf(colourType) * bitDepth;
        _bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        _palette = palette;
        _transparentKey = transparentKey;
        var rowLength = checked((int)(((long)width * bitsPerPixel + 7) / 8));
        _row = new byte[rowLength];
        _previousRow = new byte[rowLength];
        _inflater = new ZLibStream(new ChunkDataStream(imageData), CompressionMode.Decompress);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>True when the PNG is Adam7-interlaced (its rows cannot be had one at a time), read from its header.</summary>
    public static bool IsInterlaced(ReadOnlySpan<byte> png) =>
        png.Length > HeaderChunkOffset + 20 && png.StartsWith(Signature) && png[HeaderChunkOffset + 4 + 4 + 12] == 1;

    /// <summary>Opens a PNG for reading rows, or returns null if it is interlaced or its header is not one this reads.</summary>
    public static PngRowReader? Open(byte[] png)
    {
        if (!png.AsSpan().StartsWith(Signature) || IsInterlaced(png))
        {
            return null;
        }

        int width = 0, height = 0, bitDepth = 0, colourType = -1;
        byte[] palette = [];
        byte[]? transparency = null;
        var imageData = new List<ReadOnlyMemory<byte>>();
        var position = Signature.Length;
        while (position + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = png.AsSpan(position + 4, 4);
            var start = position + 8;
            if (length < 0)
            {
                break;
            }

            // A truncated file ends inside a chunk: keep what there is, and let the rows run out.
            var available = (int)Math.Min(length, png.Length - start);
            var data = png.AsMemory(start, available);
            if (type.SequenceEqual("IHDR"u8) && available >= 13)
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data.Span);
                height = BinaryPrimitives.ReadInt32BigEndian(data.Span[4..]);
                bitDepth = data.Span[8];
                colourType = data.Span[9];
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                palette = data.ToArray();
            }
            else if (type.SequenceEqual("tRNS"u8))
            {
                transparency = data.ToArray();
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                imageData.Add(data);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            position = start + available + 4;
        }

        return width > 0 && height > 0 && IsValidDepth(colourType, bitDepth)
            ? new PngRowReader(width, height, bitDepth, colourType, imageData, palette, transparency)
            : null;
    }

    /// <summary>Reads the next row into <paramref name="rgba"/> (4 bytes a pixel); false when the data ends early.</summary>
    /// <exception cref="InvalidDataException">The compressed data or a row filter is damaged.</exception>
    public bool ReadRow(Span<byte> rgba)
    {
        (_row, _previousRow) = (_previousRow, _row);
        Span<byte> filter = stackalloc byte[1];
        if (_inflater.ReadAtLeast(filter, 1, throwOnEndOfStream: false) < 1
            || _inflater.ReadAtLeast(_row, _row.Length, throwOnEndOfStream: false) < _row.Length)
        {
            return false;
        }

        Unfilter(filter[0], _row, _previousRow, _bytesPerPixel);
        ToRgba(_row, rgba[..(Width * 4)]);
        return true;
    }

    public void Dispose() => _inflater.Dispose();

    private static int ChannelsOf(int colourType) => colourType switch
    {
        2 => 3, // RGB
        4 => 2, // grey + alpha
        6 => 4, // RGBA
        _ => 1, // grey (0) and palette (3)
    };

    private static bool IsValidDepth(int colourType, int bitDepth) => colourType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => bitDepth is 8 or 16,
        _ => false,
    };

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1: // Sub
                for (var i = bytesPerPixel; i < row.Length; i++)
                {
                    row[i] += row[i - bytesPerPixel];
                }

                break;
            case 2: // Up
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] += previous[i];
                }

                break;
            case 3: // Average
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    row[i] += (byte)((left + previous[i]) >> 1);
                }

                break;
            case 4: // Paeth
                for (var i = 0; i < row.Length; i++)
                {
                    int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                    row[i] += (byte)Paeth(left, previous[i], upLeft);
                }

                break;
            default:
                throw new InvalidDataException($"PNG row filter {filter} does not exist");
        }
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var toLeft = Math.Abs(estimate - left);
        var toUp = Math.Abs(estimate - up);
        var toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }

    private void ToRgba(ReadOnlySpan<byte> row, Span<byte> rgba)
    {
        var wide = _bitDepth == 16;
        var step = wide ? 2 : 1; // 16-bit samples keep their high byte
        for (var x = 0; x < Width; x++)
        {
            var o = x * 4;
            switch (_colourType)
            {
                case 0:
                    var grey = SampleAt(row, x);
                    var level = ToEightBits(grey);
                    rgba[o] = rgba[o + 1] = rgba[o + 2] = level;
                    rgba[o + 3] = _transparentKey is { Length: >= 2 } key && grey == BinaryPrimitives.ReadUInt16BigEndian(key) ? (byte)0 : (byte)255;
                    break;
                case 2:
                    var p = x * 3 * step;
                    rgba[o] = row[p];
                    rgba[o + 1] = row[p + step];
                    rgba[o + 2] = row[p + 2 * step];
                    rgba[o + 3] = IsTransparentKey(row.Slice(p, 3 * step)) ? (byte)0 : (byte)255;
                    break;
                case 3:
                    var index = SampleAt(row, x);
                    var entry = index * 3;
                    if (entry + 2 < _palette.Length)
                    {
                        rgba[o] = _palette[entry];
                        rgba[o + 1] = _palette[entry + 1];
                        rgba[o + 2] = _palette[entry + 2];
                    }
                    else
                    {
                        rgba[o] = rgba[o + 1] = rgba[o + 2] = 0; // an index past the palette: black, as libpng leaves it
                    }

                    rgba[o + 3] = _transparentKey is { } alphas && index < alphas.Length ? alphas[index] : (byte)255;
                    break;
                case 4:
                    var g = x * 2 * step;
                    rgba[o] = rgba[o + 1] = rgba[o + 2] = row[g];
                    rgba[o + 3] = row[g + step];
                    break;
                default:
                    var c = x * 4 * step;
                    rgba[o] = row[c];
                    rgba[o + 1] = row[c + step];
                    rgba[o + 2] = row[c + 2 * step];
                    rgba[o + 3] = row[c + 3 * step];
                    break;
            }
        }
    }

    /// <summary>The x-th sample of a one-channel row (grey or palette index) at its own bit depth.</summary>
    private int SampleAt(ReadOnlySpan<byte> row, int x) => _bitDepth switch
    {
        16 => BinaryPrimitives.ReadUInt16BigEndian(row[(x * 2)..]),
        8 => row[x],
        _ => (row[x * _bitDepth / 8] >> (8 - _bitDepth - (x * _bitDepth % 8))) & ((1 << _bitDepth) - 1),
    };

    private byte ToEightBits(int sample) => _bitDepth switch
    {
        16 => (byte)(sample >> 8),
        8 => (byte)sample,
        _ => (byte)(sample * 255 / ((1 << _bitDepth) - 1)),
    };

    /// <summary>RGB pixels equal to the tRNS colour (three 16-bit values) are fully transparent.</summary>
    private bool IsTransparentKey(ReadOnlySpan<byte> pixel)
    {
        if (_transparentKey is not { Length: >= 6 } key)
        {
            return false;
        }

        for (var channel = 0; channel < 3; channel++)
        {
            var value = _bitDepth == 16 ? BinaryPrimitives.ReadUInt16BigEndian(pixel[(channel * 2)..]) : pixel[channel];
            if (value != BinaryPrimitives.ReadUInt16BigEndian(key[(channel * 2)..]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The IDAT chunks' contents read back to back, as one zlib stream, without copying them.</summary>
    private sealed class ChunkDataStream(List<ReadOnlyMemory<byte>> chunks) : Stream
    {
        private int _chunk;
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_chunk < chunks.Count && _offset == chunks[_chunk].Length)
            {
                (_chunk, _offset) = (_chunk + 1, 0);
            }

            if (_chunk == chunks.Count)
            {
                return 0;
            }

            var count = Math.Min(buffer.Length, chunks[_chunk].Length - _offset);
            chunks[_chunk].Span.Slice(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
