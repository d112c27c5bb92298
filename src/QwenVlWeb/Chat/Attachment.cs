using QwenVl.Engine.Vision;
using QwenVlWeb.Uploads;

namespace QwenVlWeb.Chat;

/// <summary>
/// An image or video in a message. Keeps its own bytes (the upload store may forget them) and, once sent, the size it
/// was resized to, which the roadmap's grounding overlay needs to map <c>bbox_2d</c> back onto the original.
/// </summary>
public sealed class Attachment(UploadedMedia media)
{
    public UploadedMedia Media { get; } = media ?? throw new ArgumentNullException(nameof(media));

    public string Name => Media.Name;

    public int Width => Media.Width;

    public int Height => Media.Height;

    /// <summary>The size the model saw; set when the message is sent.</summary>
    public ImageSize? SentSize { get; set; }
}
