namespace FaceSwap.Benchmarks.Quality;

/// <summary>The benchmark's pairs: frontal, tilted, turned and mirrored heads, glasses, group photos, small and large faces.</summary>
public static class QualityPairs
{
    // Declared before the list: static fields are initialised in the order they are written.
    private static readonly string[] PublicPhotos = ["astronaut.png", "grace_hopper.jpg"];

    public static IReadOnlyList<QualityPair> All { get; } =
    [
        Pair("grace-onto-astronaut", "frontal", new("grace_hopper.jpg"), new("astronaut.png")),
        Pair("astronaut-onto-grace", "frontal", new("astronaut.png"), new("grace_hopper.jpg")),
        Pair("astronaut-onto-grace-tilted", "target tilted 20°", new("astronaut.png"), new("grace_hopper.jpg", RotateDegrees: 20)),
        Pair("grace-onto-astronaut-tilted", "target tilted -25°", new("grace_hopper.jpg"), new("astronaut.png", RotateDegrees: -25)),
        Pair("grace-tilted-onto-astronaut", "source tilted 25°", new("grace_hopper.jpg", RotateDegrees: 25), new("astronaut.png")),
        Pair("grace-flipped-onto-astronaut", "source mirrored (head turned the other way)", new("grace_hopper.jpg", Mirror: true), new("astronaut.png")),
        Pair("grace-small-onto-astronaut-large", "source 0.7x, target 3x", new("grace_hopper.jpg", Scale: 0.7f), new("astronaut.png", Scale: 3f)),
        Pair("walter-onto-astronaut", "glasses in the source", new("clm_walter2_crop.jpg"), new("astronaut.png")),
        Pair("astronaut-onto-walter", "glasses in the target", new("astronaut.png"), new("clm_walter2_crop.jpg")),
        Pair("obama-onto-kim", "man onto woman", new("clm_obama4_crop.jpg"), new("clm_kim1_crop.jpg")),
        Pair("kim-onto-obama", "woman onto man", new("clm_kim1_crop.jpg"), new("clm_obama4_crop.jpg")),
        Pair("bieber-onto-chuck", "stubble in the target", new("clm_bieber_small.jpg"), new("clm_chuck_crop.jpg")),
        Pair("chuck-onto-bieber", "stubble in the source", new("clm_chuck_crop.jpg"), new("clm_bieber_small.jpg")),
        Pair("walter-onto-obama-tilted", "glasses, target tilted 20°", new("clm_walter2_crop.jpg"), new("clm_obama4_crop.jpg", RotateDegrees: 20)),
        Pair("kim-tilted-onto-walter", "source tilted -20°, glasses in the target", new("clm_kim1_crop.jpg", RotateDegrees: -20), new("clm_walter2_crop.jpg")),
        Pair("grace-onto-group-three", "turned, lowered heads, hair across faces", new("grace_hopper.jpg"), new("group_three_turned.jpg")),
        Pair("astronaut-onto-group-five", "group photo, largest face", new("astronaut.png"), new("group_five.jpg")),
        Pair("bieber-onto-grace", "young man onto older woman", new("clm_bieber_small.jpg"), new("grace_hopper.jpg")),
        Pair("grace-onto-bieber", "older woman onto young man", new("grace_hopper.jpg"), new("clm_bieber_small.jpg")),
        Pair("chuck-onto-kim-flipped", "target mirrored", new("clm_chuck_crop.jpg"), new("clm_kim1_crop.jpg", Mirror: true)),
        Pair("obama-onto-astronaut-tilted", "target tilted 30°", new("clm_obama4_crop.jpg"), new("astronaut.png", RotateDegrees: 30)),
        Pair("kim-onto-grace", "woman onto woman", new("clm_kim1_crop.jpg"), new("grace_hopper.jpg")),
        Pair("astronaut-onto-chuck-large", "target 3x (upscaled)", new("astronaut.png"), new("clm_chuck_crop.jpg", Scale: 3f)),
        Pair("grace-onto-obama-tilted", "target tilted -30°", new("grace_hopper.jpg"), new("clm_obama4_crop.jpg", RotateDegrees: -30)),
    ];

    private static QualityPair Pair(string name, string @case, PhotoVariant face, PhotoVariant target) =>
        new(name, @case, face, target, PublicPhotos.Contains(face.File) && PublicPhotos.Contains(target.File));
}
