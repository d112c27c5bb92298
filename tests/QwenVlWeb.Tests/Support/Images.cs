using QwenVlWeb.Uploads;

namespace QwenVlWeb.Tests.Support;

/// <summary>Uploaded-image records for component tests (the bytes are not decoded there).</summary>
internal static class Images
{
    public static UploadedMedia Uploaded(int width, int height, string name = "photo.png") =>
        new("0123456789abcdef0123456789abcdef", name, "image/png", [0x89, 0x50], width, height, "data:image/jpeg;base64,AAAA");
}
