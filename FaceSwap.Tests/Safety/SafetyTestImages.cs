using FaceSwap.Tests.Engine;

namespace FaceSwap.Tests.Safety;

/// <summary>The content-safety fixture (see TestData/safety/README.md) and the ordinary photos the gate must accept.</summary>
internal static class SafetyTestImages
{
    public static string FixturePath => Path.Combine(AppContext.BaseDirectory, "TestData", "safety", "classifier-positive-noise.png");

    /// <summary>Coloured noise the classifier scores as explicit: the stand-in for an explicit photo.</summary>
    public static byte[] ClassifierPositive => File.ReadAllBytes(FixturePath);

    /// <summary>Every ordinary photo of TestData/engine: people, a cat, a cup, groups.</summary>
    public static readonly string[] Ordinary =
        ["astronaut.png", "grace_hopper.jpg", "grace_cmyk.jpg", "grace_then_coffee.gif", "clm_obama4_crop.jpg", "clm_kim1_crop.jpg",
         "clm_walter2_crop.jpg", "clm_chuck_crop.jpg", "clm_bieber_small.jpg", "coffee.png", "chelsea.png", "group_five.jpg", "group_three_turned.jpg"];

    public static byte[] Read(string name) => TestImages.Read(name);
}
