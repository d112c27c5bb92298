namespace QwenVlWeb.Tests.Support;

/// <summary>The images shared with the engine's tests (tests/assets/images).</summary>
internal static class TestImages
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "assets", "images");

    public static string Path123x77 => Path.Combine(Folder, "gradient_123x77.png");

    public static string Truncated => Path.Combine(Folder, "truncated.png");

    public static string NotAnImage => Path.Combine(Folder, "not_an_image.png");

    public static byte[] Read(string path) => File.ReadAllBytes(path);
}
