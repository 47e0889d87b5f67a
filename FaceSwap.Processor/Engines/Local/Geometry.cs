using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>The few bits of planar geometry the swap needs; small enough that a geometry library is not worth it.</summary>
public static class Geometry
{
    /// <summary>Bowyer-Watson Delaunay triangulation; returns vertex index triples.</summary>
    public static int[] Delaunay(ReadOnlySpan<SKPoint> points)
    {
        var n = points.Length;
        var all = new SKPoint[n + 3];
        points.CopyTo(all);
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (var p in points)
        {
            minX = Math.Min(minX, p.X); minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X); maxY = Math.Max(maxY, p.Y);
        }

        var span = Math.Max(maxX - minX, maxY - minY) * 20 + 1;
        var midX = (minX + maxX) / 2;
        var midY = (minY + maxY) / 2;
        all[n] = new SKPoint(midX - span, midY - span);
        all[n + 1] = new SKPoint(midX + span, midY - span);
        all[n + 2] = new SKPoint(midX, midY + span);

        var triangles = new List<(int A, int B, int C)> { (n, n + 1, n + 2) };
        for (var i = 0; i < n; i++)
        {
            var p = all[i];
            var bad = triangles.Where(t => InCircumcircle(all[t.A], all[t.B], all[t.C], p)).ToList();
            var edges = new List<(int, int)>();
            foreach (var t in bad)
            {
                foreach (var edge in new[] { (t.A, t.B), (t.B, t.C), (t.C, t.A) })
                {
                    var shared = bad.Any(o => !o.Equals(t) && HasEdge(o, edge.Item1, edge.Item2));
                    if (!shared)
                    {
                        edges.Add(edge);
                    }
                }
            }

            triangles.RemoveAll(bad.Contains);
            triangles.AddRange(edges.Select(e => (e.Item1, e.Item2, i)));
        }

        return triangles.Where(t => t.A < n && t.B < n && t.C < n).SelectMany(t => new[] { t.A, t.B, t.C }).ToArray();
    }

    private static bool HasEdge((int A, int B, int C) t, int u, int v) =>
        (t.A == u || t.B == u || t.C == u) && (t.A == v || t.B == v || t.C == v);

    private static bool InCircumcircle(SKPoint a, SKPoint b, SKPoint c, SKPoint p)
    {
        double ax = a.X - p.X, ay = a.Y - p.Y, bx = b.X - p.X, by = b.Y - p.Y, cx = c.X - p.X, cy = c.Y - p.Y;
        var det = (ax * ax + ay * ay) * (bx * cy - cx * by) - (bx * bx + by * by) * (ax * cy - cx * ay) + (cx * cx + cy * cy) * (ax * by - bx * ay);
        var orientation = (b.X - a.X) * (double)(c.Y - a.Y) - (b.Y - a.Y) * (double)(c.X - a.X);
        return orientation > 0 ? det > 0 : det < 0;
    }

    /// <summary>Andrew's monotone chain; counter-clockwise in y-down pixel coordinates is clockwise on screen.</summary>
    public static SKPoint[] ConvexHull(IEnumerable<SKPoint> points)
    {
        var sorted = points.Distinct().OrderBy(p => p.X).ThenBy(p => p.Y).ToArray();
        if (sorted.Length < 3)
        {
            return sorted;
        }

        var hull = new SKPoint[sorted.Length * 2];
        var k = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0) { k--; }
            hull[k++] = sorted[i];
        }

        for (int i = sorted.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0) { k--; }
            hull[k++] = sorted[i];
        }

        return hull[..(k - 1)];
    }

    private static double Cross(SKPoint o, SKPoint a, SKPoint b) => (a.X - o.X) * (double)(b.Y - o.Y) - (a.Y - o.Y) * (double)(b.X - o.X);

    /// <summary>Moves every edge of a convex polygon inwards by <paramref name="distance"/> (an exact erosion).</summary>
    public static SKPoint[] ShrinkConvex(SKPoint[] hull, float distance)
    {
        var n = hull.Length;
        var area = 0.0;
        for (var i = 0; i < n; i++)
        {
            area += Cross(default, hull[i], hull[(i + 1) % n]);
        }

        var inward = area > 0 ? 1f : -1f;
        var shifted = new (SKPoint P, SKPoint D)[n];
        for (var i = 0; i < n; i++)
        {
            var a = hull[i];
            var b = hull[(i + 1) % n];
            var d = b - a;
            var length = MathF.Max(d.Length, 1e-6f);
            // Left normal for a counter-clockwise polygon points inwards.
            var normal = new SKPoint(-d.Y / length * inward, d.X / length * inward);
            shifted[i] = (new SKPoint(a.X + normal.X * distance, a.Y + normal.Y * distance), d);
        }

        var result = new SKPoint[n];
        for (var i = 0; i < n; i++)
        {
            var (p1, d1) = shifted[(i + n - 1) % n];
            var (p2, d2) = shifted[i];
            var denominator = d1.X * d2.Y - d1.Y * d2.X;
            if (MathF.Abs(denominator) < 1e-6f)
            {
                result[i] = p2;
                continue;
            }

            var t = ((p2.X - p1.X) * d2.Y - (p2.Y - p1.Y) * d2.X) / denominator;
            result[i] = new SKPoint(p1.X + d1.X * t, p1.Y + d1.Y * t);
        }

        return result;
    }

    /// <summary>A closed path through the polygon's corners, for filling and hit tests.</summary>
    public static SKPath PathOf(ReadOnlySpan<SKPoint> polygon)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(polygon[0]);
        foreach (var point in polygon[1..])
        {
            builder.LineTo(point);
        }

        builder.Close();
        return builder.Detach();
    }
}
