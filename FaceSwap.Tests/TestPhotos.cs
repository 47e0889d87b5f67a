namespace FaceSwap.Tests;

/// <summary>The project's test photos (provenance in TestData/photos/README.md), copied next to the tests.</summary>
public static class TestPhotos
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "photos", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public static byte[] Astronaut => Read("astronaut.png");

    public static byte[] GraceHopper => Read("grace_hopper.jpg");

    public static byte[] Coffee => Read("coffee.png");
}
