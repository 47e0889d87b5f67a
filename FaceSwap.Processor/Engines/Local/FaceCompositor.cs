using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Lays the warped source face into the target region:
/// <list type="number">
/// <item>a mask from the drawn mesh (the whole face, forehead included), with the target's mouth opening kept when the
/// target's mouth is open, the target's eyes kept when the source's are closed and the target's open, and whatever is
/// not skin at the face's edge (hair, hands; in either photo) kept from the target;</item>
/// <item>colour matched by global statistics: mean and spread per Lab channel over the face, so the source keeps its own
/// shading;</item>
/// <item>sharpness and grain matched to the target (the source's fine detail scaled down, or grain added);</item>
/// <item>a two-band blend confined to a band inside the mask edge: low frequencies cross over a wide band, detail over a
/// narrow one, so no colour step and no halo shows, and nothing outside the mask changes.</item>
/// </list>
/// </summary>
public static class FaceCompositor
{
    /// <summary>A pixel this far from the face's typical skin (in robust spreads, Lab) is not skin.</summary>
    private const float NotSkinFrom = 2.5f, NotSkinSure = 4.5f;

    /// <summary>Half coverage in a mask's bytes: a byte b is under a half exactly when b / 255f is.</summary>
    private const byte Half = 128;

    public static CompositeReport Composite(SKBitmap target, SKRectI region, WarpedFace warped, MeshFace sourceFace, MeshFace targetFace, MeshRegions regions)
    {
        using var targetRegion = new SKBitmap();
        if (!target.ExtractSubset(targetRegion, region))
        {
            return default;
        }

        int width = region.Width, height = region.Height, n = width * height;
        var t = LabImage.FromBitmap(targetRegion);
        var s = LabImage.FromBitmap(warped.Pixels);
        var offset = new SKPoint(-region.Left, -region.Top);

        var eyeDistance = MathF.Max(8f, FaceFeatures.EyeDistance(targetFace));
        var feather = MathF.Max(1.5f, eyeDistance * 0.13f);
        var coverage = s.Alpha;
        var blurredCoverage = PlaneBlur.Gaussian(coverage, width, height, feather);

        using var cutouts = KeptFromTarget(sourceFace, targetFace, regions, width, height, offset, feather);
        using var features = InnerFeatures(targetFace, regions, width, height, offset, eyeDistance * 0.12f);
        using var eyesAndMouth = EyesAndMouth(targetFace, regions, width, height, offset, feather);
        // The masks are read as they are (bytes of coverage, 255 = inside), not as float planes: three fewer planes of a
        // region's size (2.8 MB each for a face of 0.7 MP) to allocate and fill on every swap.
        var cut = Coverage(cutouts);
        var inner = Coverage(features);
        var openings = Coverage(eyesAndMouth);

        // Skin is judged fully at the face's edge, where hair and hands come in. Among the brows, nose and lips, which are
        // not skin-coloured in anybody, only the hue is judged (a hand or a mask is not warm), and the eyes and the mouth's
        // opening not at all.
        var edge = new bool[n];
        var middle = new bool[n];
        var skinSample = new bool[n];
        for (var i = 0; i < n; i++)
        {
            edge[i] = blurredCoverage[i] > 0.3f && inner[i] < Half;
            middle[i] = blurredCoverage[i] > 0.5f && inner[i] >= Half && openings[i] < Half;
            skinSample[i] = edge[i] && blurredCoverage[i] > 0.9f && cut[i] < Half;
        }

        // The hue test only on the target: the face photo may carry any colour cast (the colour match takes it out), and
        // what covers its edge is judged against its own skin, which is enough to keep it out of the mask.
        // The two judgements are independent: side by side.
        float[] notSkinTarget = [], notSkinSource = [];
        Parallel.Invoke(
            () => notSkinTarget = NotSkin(t, edge, middle, skinSample, judgeHue: true),
            () => notSkinSource = NotSkin(s, edge, middle, skinSample, judgeHue: false));
        var occluded = new float[n];
        double inside = 0, occludedTarget = 0, occludedSource = 0;
        for (var i = 0; i < n; i++)
        {
            // Only what covers the edge is kept from the target: the middle's judgement is for the gate and the colour statistics.
            occluded[i] = edge[i] ? MathF.Max(notSkinTarget[i], notSkinSource[i]) : 0f;
            if ((edge[i] && blurredCoverage[i] > 0.5f) || middle[i])
            {
                inside++;
                occludedTarget += notSkinTarget[i];
                occludedSource += notSkinSource[i];
            }
        }

        occluded = PlaneBlur.Gaussian(occluded, width, height, feather);

        // On a straight edge a blur of sigma s reaches 0.98 about 2 s inside: detail crosses over a band of 2 feathers,
        // the low frequencies over one 1.5 times as wide, both ending at the drawn face's edge. The widths were tuned on the
        // quality benchmark (docs/benchmarks.md): wider low bands raised the seam score, narrower feathers the target's share.
        var blurredWide = PlaneBlur.Gaussian(coverage, width, height, feather * 1.5f);
        var narrow = new float[n];
        var wide = new float[n];
        for (var i = 0; i < n; i++)
        {
            var keep = (1f - cut[i] / 255f) * (1f - MathF.Min(1f, occluded[i] * 1.5f));
            narrow[i] = SmoothStep(0.5f, 0.98f, blurredCoverage[i]) * keep;
            wide[i] = SmoothStep(0.5f, 0.98f, blurredWide[i]) * keep;
        }

        // Colour statistics from skin only: what covers the face in either photo would pull the means towards itself.
        var statistics = new bool[n];
        for (var i = 0; i < n; i++)
        {
            statistics[i] = notSkinTarget[i] < 0.5f && notSkinSource[i] < 0.5f && narrow[i] > 0.9f;
        }

        MatchColour(s, t, statistics);
        var sharpness = MatchDetail(s, t, statistics);
        Blend(targetRegion, s, t, narrow, wide, coverage, MathF.Max(3f, eyeDistance * 0.25f));
        target.NotifyPixelsChanged();
        return new CompositeReport(
            inside > 0 ? (float)(occludedTarget / inside) : 0,
            inside > 0 ? (float)(occludedSource / inside) : 0,
            sharpness);
    }

    /// <summary>Mean and spread per Lab channel over the face interior; the spread ratio is bounded so the source's shading survives.</summary>
    private static void MatchColour(LabImage source, LabImage target, bool[] mask)
    {
        var channels = new[] { (source.L, target.L), (source.A, target.A), (source.B, target.B) };
        var counted = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            counted += mask[i] ? 1 : 0;
        }

        if (counted < 16)
        {
            return;
        }

        // Each channel's statistics and correction use that channel only: the three run side by side.
        Parallel.ForEach(channels, channel =>
        {
            var (s, t) = channel;
            double sumS = 0, sumT = 0, sqS = 0, sqT = 0, count = 0;
            for (var i = 0; i < mask.Length; i++)
            {
                if (mask[i])
                {
                    sumS += s[i]; sqS += s[i] * s[i];
                    sumT += t[i]; sqT += t[i] * t[i];
                    count++;
                }
            }

            var meanS = sumS / count;
            var meanT = sumT / count;
            var spreadS = Math.Sqrt(Math.Max(1e-6, sqS / count - meanS * meanS));
            var spreadT = Math.Sqrt(Math.Max(1e-6, sqT / count - meanT * meanT));
            var gain = (float)Math.Clamp(spreadT / spreadS, 0.7, 1.4);
            for (var i = 0; i < s.Length; i++)
            {
                if (source.Alpha[i] > 0)
                {
                    s[i] = (float)((s[i] - meanS) * gain + meanT);
                }
            }
        });
    }

    /// <summary>
    /// Fine detail (lightness minus its 1-pixel blur) compared over the face: a sharper source has its detail scaled down
    /// to the target's, a softer one gets grain. Returns the source's detail over the target's before matching.
    /// </summary>
    private static float MatchDetail(LabImage source, LabImage target, bool[] mask)
    {
        int width = source.Width, height = source.Height;
        var lowS = PlaneBlur.Gaussian(source.L, width, height, 1f);
        var lowT = PlaneBlur.Gaussian(target.L, width, height, 1f);
        double detailS = 0, detailT = 0, count = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                detailS += MathF.Abs(source.L[i] - lowS[i]);
                detailT += MathF.Abs(target.L[i] - lowT[i]);
                count++;
            }
        }

        if (count < 16 || detailT <= 0)
        {
            return 1f;
        }

        var ratio = (float)(detailS / detailT);
        if (ratio > 1.15f)
        {
            var keep = 1f / ratio;
            for (var i = 0; i < source.L.Length; i++)
            {
                source.L[i] = lowS[i] + (source.L[i] - lowS[i]) * keep;
            }
        }
        else if (ratio < 0.85f)
        {
            // Mean absolute detail of white noise after removing its blur is about 0.7 of its spread.
            var missing = (float)(detailT / count) * MathF.Sqrt(1f - ratio * ratio) / 0.7f;
            var state = 0x9E3779B9u;
            for (var i = 0; i < source.L.Length; i++)
            {
                // Sum of two uniform draws: a cheap, roughly bell-shaped grain; seeded, so a swap is reproducible.
                state ^= state << 13; state ^= state >> 17; state ^= state << 5;
                var u = (state & 0xFFFF) / 65535f + (state >> 16) / 65535f - 1f;
                source.L[i] += u * missing * 1.22f;
            }
        }

        return ratio;
    }

    private static void Blend(SKBitmap targetRegion, LabImage s, LabImage t, float[] narrow, float[] wide, float[] coverage, float lowSigma)
    {
        int width = s.Width, height = s.Height;
        // The low band is the weighted blur of the difference: the local mean of (source - target) over the covered pixels,
        // blur(difference x coverage) / blur(coverage); the blur is linear, so three blurs, not six. It is wide (a quarter of
        // the eye distance), so it is taken on planes reduced by up to 4 and read back bilinearly row by row, only for the
        // pixels the blend writes.
        var factor = PlaneBlur.ReductionFor(lowSigma, width, height);
        var weight = ReducedPlane.Average(coverage, width, height, factor);
        weight.Blur(lowSigma);
        var channels = new[] { (s.L, t.L), (s.A, t.A), (s.B, t.B) };
        var lowDifference = new ReducedPlane[channels.Length];
        // The three channels are independent: side by side.
        Parallel.For(0, channels.Length, c =>
        {
            var (source, target) = channels[c];
            // Averaged a row at a time as it is computed: no full-size plane of the product per channel.
            var low = ReducedPlane.Average(width, height, factor, (y, row) =>
            {
                var start = y * width;
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = (source[start + x] - target[start + x]) * coverage[start + x];
                }
            });
            low.Blur(lowSigma);
            var values = low.Values;
            for (var i = 0; i < values.Length; i++)
            {
                // Where almost nothing is covered the mean is undefined; no pixel the blend writes is that far out (it writes
                // where the feather's blur of the coverage is over a half, and this blur is twice as wide).
                values[i] = weight.Values[i] > 1e-3f ? values[i] / weight.Values[i] : 0f;
            }

            lowDifference[c] = low;
        });

        var rowBytes = targetRegion.RowBytes;
        // Each pixel is written from its own values only: bands of rows can run side by side.
        ParallelRows.For(width, height, (first, end) =>
        {
            var pixels = targetRegion.GetPixelSpan();
            var lowL = new float[width];
            var lowA = new float[width];
            var lowB = new float[width];
            for (var y = first; y < end; y++)
            {
                var row = narrow.AsSpan(y * width, width);
                if (!row.ContainsAnyExcept(0f))
                {
                    continue;
                }

                lowDifference[0].ExpandRow(y, lowL);
                lowDifference[1].ExpandRow(y, lowA);
                lowDifference[2].ExpandRow(y, lowB);
                for (var x = 0; x < width; x++)
                {
                    var i = y * width + x;
                    var detail = narrow[i];
                    if (detail <= 0f)
                    {
                        continue;
                    }

                    var low = wide[i] - detail;
                    var l = t.L[i] + detail * (s.L[i] - t.L[i]) + low * lowL[x];
                    var a = t.A[i] + detail * (s.A[i] - t.A[i]) + low * lowA[x];
                    var b = t.B[i] + detail * (s.B[i] - t.B[i]) + low * lowB[x];
                    var (r, g, bl) = LabImage.ToSrgb(l, a, b);
                    var p = y * rowBytes + x * 4;
                    var alpha = pixels[p + 3];
                    pixels[p] = (byte)(r * alpha / 255);
                    pixels[p + 1] = (byte)(g * alpha / 255);
                    pixels[p + 2] = (byte)(bl * alpha / 255);
                }
            }
        });
    }

    /// <summary>
    /// Per pixel, 0 (skin) to 1 (surely not skin): distance from the median skin colour in robust spreads, with floors so a
    /// very even face does not call its own shadows foreign.
    /// </summary>
    private static float[] NotSkin(LabImage image, bool[] judged, bool[] hueOnly, bool[] sample, bool judgeHue)
    {
        var result = new float[judged.Length];
        // In a photo with ordinary colours skin of any tone has a warm hue (red to yellow) and some chroma; grey hair, a
        // green sleeve or a blue glove do not. The skin model is then learnt from warm pixels only, so a patch covering
        // most of the face cannot become "the skin". A photo whose face is not warm at all (black and white, a strong
        // colour cast) is judged by distance from its own median alone.
        var warm = new bool[sample.Length];
        int sampled = 0, warmSampled = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            if (sample[i])
            {
                sampled++;
                warm[i] = WarmHue(image.A[i], image.B[i]) < 0.5f;
                warmSampled += warm[i] ? 1 : 0;
            }
        }

        // A tenth is enough: a hand or a mask may cover most of the edge, and a photo with odd colours has almost no warm pixels.
        var useHue = judgeHue && warmSampled >= sampled * 0.1f && warmSampled >= 100;
        var model = useHue ? warm : sample;
        var (mL, sL) = MedianAndSpread(image.L, model, 0f, 100f, floor: 10f);
        var (mA, sA) = MedianAndSpread(image.A, model, -64f, 64f, floor: 4f);
        var (mB, sB) = MedianAndSpread(image.B, model, -64f, 64f, floor: 4f);
        for (var i = 0; i < result.Length; i++)
        {
            if (hueOnly[i] && useHue && image.Alpha[i] > 0f)
            {
                result[i] = WarmHue(image.A[i], image.B[i]);
                continue;
            }

            if (!judged[i] || image.Alpha[i] <= 0f)
            {
                continue;
            }

            var dl = (image.L[i] - mL) / sL;
            var da = (image.A[i] - mA) / sA;
            var db = (image.B[i] - mB) / sB;
            // Compared squared first: most pixels are skin, well inside the first bound, and need no square root.
            var distanceSquared = dl * dl + da * da + db * db;
            var notSkin = distanceSquared <= NotSkinFrom * NotSkinFrom ? 0f : SmoothStep(NotSkinFrom, NotSkinSure, MathF.Sqrt(distanceSquared));
            if (useHue)
            {
                notSkin = MathF.Max(notSkin, WarmHue(image.A[i], image.B[i]));
            }

            result[i] = notSkin;
        }

        return result;
    }

    /// <summary>0 for a warm hue with some chroma (skin of any tone), rising to 1 for grey, green, blue or purple.</summary>
    private static float WarmHue(float a, float b)
    {
        // The same values as the plain formula below, without its square root and arc tangent for most pixels: a chroma of
        // 5 or more (a^2 + b^2 >= 25) scores 0, and so does a hue between 0 and 100 degrees (b >= 0 and a >= b cot 100°).
        var chromaSquared = a * a + b * b;
        var grey = chromaSquared >= 25f ? 0f : SmoothStep(5f, 2f, MathF.Sqrt(chromaSquared));
        if (b >= 0f && a >= b * -0.17632698f)
        {
            return grey;
        }

        var hue = MathF.Atan2(b, a) * (180f / MathF.PI);
        return MathF.Max(MathF.Max(SmoothStep(0f, -20f, hue), SmoothStep(100f, 120f, hue)), grey);
    }

    /// <summary>Median and 1.4826 x median absolute deviation (a spread that hair and shadows in the sample barely move), from histograms.</summary>
    private static (float Median, float Spread) MedianAndSpread(float[] values, bool[] sample, float min, float max, float floor)
    {
        const int bins = 512;
        var histogram = new int[bins];
        var count = 0;
        var scale = (bins - 1) / (max - min);
        for (var i = 0; i < values.Length; i++)
        {
            if (sample[i])
            {
                histogram[Math.Clamp((int)((values[i] - min) * scale), 0, bins - 1)]++;
                count++;
            }
        }

        if (count == 0)
        {
            return (0, float.MaxValue);
        }

        var median = min + Percentile(histogram, count / 2) / scale;
        var deviations = new int[bins];
        for (var i = 0; i < values.Length; i++)
        {
            if (sample[i])
            {
                deviations[Math.Clamp((int)(MathF.Abs(values[i] - median) * scale), 0, bins - 1)]++;
            }
        }

        var mad = Percentile(deviations, count / 2) / scale;
        return (median, MathF.Max(floor, 1.4826f * mad));
    }

    private static float Percentile(int[] histogram, int rank)
    {
        var seen = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            seen += histogram[b];
            if (seen > rank)
            {
                return b + 0.5f;
            }
        }

        return histogram.Length - 1;
    }

    /// <summary>
    /// Where the target's own pixels stay inside the face: its open mouth, and its open eyes when the source's are closed.
    /// Each outline is grown by a feather before its soft edge, so the opening itself stays (nearly) wholly the target's.
    /// </summary>
    private static SKBitmap KeptFromTarget(MeshFace source, MeshFace target, MeshRegions regions, int width, int height, SKPoint offset, float feather) =>
        GrownMask(width, height, grow: feather, softEdge: feather, (canvas, paint) =>
        {
            if (FaceFeatures.MouthOpenness(target) > FaceFeatures.OpenMouth)
            {
                FillPolygon(canvas, target, regions.InnerLips, offset, paint);
            }

            if (FaceFeatures.RightEyeOpenness(source) < FaceFeatures.ClosedEye && FaceFeatures.RightEyeOpenness(target) > FaceFeatures.OpenEye)
            {
                FillPolygon(canvas, target, regions.RightEye, offset, paint);
            }

            if (FaceFeatures.LeftEyeOpenness(source) < FaceFeatures.ClosedEye && FaceFeatures.LeftEyeOpenness(target) > FaceFeatures.OpenEye)
            {
                FillPolygon(canvas, target, regions.LeftEye, offset, paint);
            }
        });

    /// <summary>Both eyes and the mouth's opening, grown by a feather: never judged as skin or not.</summary>
    private static SKBitmap EyesAndMouth(MeshFace target, MeshRegions regions, int width, int height, SKPoint offset, float feather) =>
        GrownMask(width, height, grow: feather, softEdge: 0, (canvas, paint) =>
        {
            FillPolygon(canvas, target, regions.InnerLips, offset, paint);
            FillPolygon(canvas, target, regions.RightEye, offset, paint);
            FillPolygon(canvas, target, regions.LeftEye, offset, paint);
        });

    /// <summary>The hull of the brows, eyes, nose and mouth (the classic 68 points past the jaw line), grown by <paramref name="margin"/>.</summary>
    private static SKBitmap InnerFeatures(MeshFace target, MeshRegions regions, int width, int height, SKPoint offset, float margin) =>
        GrownMask(width, height, grow: margin, softEdge: 0, (canvas, paint) =>
            FillPolygon(canvas, Geometry.ConvexHull(regions.Landmarks68.Skip(17).Select(i => target.At(i) + offset)), paint));

    /// <summary>
    /// A mask of what <paramref name="draw"/> fills, each outline grown by <paramref name="grow"/> pixels (its stroke is
    /// twice that wide) and, when <paramref name="softEdge"/> is above zero, blurred by it.
    /// </summary>
    private static SKBitmap GrownMask(int width, int height, float grow, float softEdge, Action<SKCanvas, SKPaint> draw)
    {
        var mask = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        mask.Erase(SKColors.Transparent);
        using var canvas = new SKCanvas(mask);
        using var blur = softEdge > 0 ? SKMaskFilter.CreateBlur(SKBlurStyle.Normal, softEdge) : null;
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true, MaskFilter = blur, Style = SKPaintStyle.StrokeAndFill, StrokeWidth = grow * 2 };
        draw(canvas, paint);
        return mask;
    }

    private static void FillPolygon(SKCanvas canvas, MeshFace face, int[] outline, SKPoint offset, SKPaint paint) =>
        FillPolygon(canvas, outline.Select(i => face.At(i) + offset).ToArray(), paint);

    private static void FillPolygon(SKCanvas canvas, SKPoint[] polygon, SKPaint paint)
    {
        if (polygon.Length < 3)
        {
            return;
        }

        using var path = Geometry.PathOf(polygon);
        canvas.DrawPath(path, paint);
    }

    /// <summary>A mask's coverage bytes, row after row with no padding (0 outside, 255 inside).</summary>
    private static byte[] Coverage(SKBitmap mask)
    {
        // Width, Height and RowBytes are native calls: read once, not per pixel (that was most of the masks' time).
        var pixels = mask.GetPixelSpan();
        int rowBytes = mask.RowBytes, width = mask.Width, height = mask.Height;
        if (rowBytes == width)
        {
            return pixels.ToArray();
        }

        var plane = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            pixels.Slice(y * rowBytes, width).CopyTo(plane.AsSpan(y * width, width));
        }

        return plane;
    }

    private static float SmoothStep(float from, float to, float value)
    {
        var x = Math.Clamp((value - from) / (to - from), 0f, 1f);
        return x * x * (3f - 2f * x);
    }
}
