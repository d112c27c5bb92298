using QwenVl.Engine.Vision;
using QwenVlWeb.Uploads;

namespace QwenVlWeb.Chat;

/// <summary>
/// An image in a message. Keeps its own bytes (the upload store may forget them) and, once sent, the size it was
/// resized to, which the roadmap's grounding overlay needs to map <c>bbox_2d</c> back onto the original.
/// </summary>
public sealed class ImageAttachment(UploadedImage image)
{
    public UploadedImage Image { get; } = image ?? throw new ArgumentNullException(nameof(image));

    public string Name => Image.Name;

    public int Width => Image.Width;

    public int Height => Image.Height;

    /// <summary>The size the model saw; set when the message is sent.</summary>
    public ImageSize? SentSize { get; set; }
}
