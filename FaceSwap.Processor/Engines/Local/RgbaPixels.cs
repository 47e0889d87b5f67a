using System.Runtime.InteropServices;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>A read-only view of 8-bit RGBA pixels (an SKBitmap's memory), for sampling grey values without copying.</summary>
public readonly struct RgbaPixels(nint address, int rowBytes, int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    /// <summary>dlib's get_pixel_intensity for RGB: the integer mean of the three channels.</summary>
    public int Grey(int x, int y)
    {
        var offset = (nint)((long)y * rowBytes + x * 4L);
        return (Marshal.ReadByte(address, (int)offset) + Marshal.ReadByte(address, (int)offset + 1) + Marshal.ReadByte(address, (int)offset + 2)) / 3;
    }
}
