using FaceSwap.Processor.Engines.Local;

namespace FaceSwap.Tests.Engine;

public sealed class ReducedPlaneTests
{
    [Theory]
    [InlineData(1, 37, 23)]
    [InlineData(2, 37, 23)]
    [InlineData(3, 64, 41)]
    [InlineData(4, 101, 67)]
    public void A_plane_averaged_row_by_row_as_it_is_computed_equals_the_average_of_the_whole_plane(int factor, int width, int height)
    {
        var first = new float[width * height];
        var second = new float[width * height];
        var random = new Random(factor);
        for (var i = 0; i < first.Length; i++)
        {
            first[i] = random.NextSingle() * 100f;
            second[i] = random.NextSingle() * 100f;
        }

        // The band blend's use: the difference of two planes, never held whole.
        var whole = new float[first.Length];
        for (var i = 0; i < whole.Length; i++)
        {
            whole[i] = first[i] - second[i];
        }

        var expected = ReducedPlane.Average(whole, width, height, factor);
        var rowByRow = ReducedPlane.Average(width, height, factor, (y, row) =>
        {
            for (var x = 0; x < row.Length; x++)
            {
                row[x] = first[y * width + x] - second[y * width + x];
            }
        });

        Assert.Equal((expected.Width, expected.Height, expected.Factor), (rowByRow.Width, rowByRow.Height, rowByRow.Factor));
        Assert.Equal(expected.Values, rowByRow.Values);
    }
}
