using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using QwenVl.Engine.Vision;
using QwenVlWeb.Chat;
using QwenVlWeb.Components.Chat;
using QwenVlWeb.Tests.Support;

namespace QwenVlWeb.Tests.Components;

public sealed class AttachmentTrayTests : BunitContext
{
    public AttachmentTrayTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Each_image_shows_the_vision_tokens_it_will_cost_at_the_current_budget()
    {
        Attachment[] items = [new(Images.Uploaded(640, 420)), new(Images.Uploaded(4000, 3000, "big.jpg"))];

        var notebook = Render<AttachmentTray>(p => p.Add(x => x.Items, items).Add(x => x.Settings, new ChatSettings()));
        var small = Render<AttachmentTray>(p => p.Add(x => x.Items, items).Add(x => x.Settings, new ChatSettings { MinImageTokens = 4, MaxImageTokens = 64 }));

        // The engine's smart_resize (checked against qwen-vl-utils in the engine's tests) decides the cost.
        var expected = items.Select(i => Cost(i, PixelBudget.Notebook)).ToList();
        Assert.Equal([345, expected[1]], expected);
        Assert.Equal(expected.Select(t => $"{t:N0} tokens"), notebook.FindAll("[data-testid=attachment-cost]").Select(e => e.TextContent));
        Assert.All(small.FindAll("[data-testid=attachment-cost]"), e => Assert.True(int.Parse(e.TextContent.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) <= 64));
    }

    [Fact]
    public void An_image_the_model_cannot_take_is_marked_and_can_be_removed()
    {
        var strip = new Attachment(Images.Uploaded(6000, 20, "strip.png"));
        Attachment? removed = null;

        var cut = Render<AttachmentTray>(p => p.Add(x => x.Items, [strip]).Add(x => x.Settings, new ChatSettings())
            .Add(x => x.OnRemove, a => removed = a));

        Assert.Contains("cannot be sent", cut.Find(".tray-problem").TextContent, StringComparison.Ordinal);
        Assert.Contains("aspect ratio", cut.Find(".tray-problem .tray-cost").GetAttribute("title"), StringComparison.Ordinal);
        cut.Find("button[aria-label='Remove strip.png']").Click();
        Assert.Same(strip, removed);
    }

    [Fact]
    public void A_video_shows_its_length_and_the_frames_and_tokens_it_will_cost()
    {
        var video = new Attachment(Images.Uploaded(320, 240, "clip.mp4") with
        {
            Video = new QwenVl.Engine.Video.VideoInfo(320, 240, 90, 30, TimeSpan.FromSeconds(3), 0),
        });

        var atTwo = Render<AttachmentTray>(p => p.Add(x => x.Items, [video]).Add(x => x.Settings, new ChatSettings()));
        var atOne = Render<AttachmentTray>(p => p.Add(x => x.Items, [video]).Add(x => x.Settings, new ChatSettings { VideoFps = 1 }));

        // 90 frames at 30 fps: 6 frames at 2 fps (4 at 1 fps: the minimum), each 392×280 = 14·10 merged patches per pair.
        Assert.Equal("0:03", atTwo.Find("[data-testid=video-duration]").TextContent.Trim('▶', ' '));
        Assert.Equal("6 frames · 420 tokens", atTwo.Find("[data-testid=attachment-cost]").TextContent);
        Assert.Equal("4 frames · 280 tokens", atOne.Find("[data-testid=attachment-cost]").TextContent);
    }

    [Fact]
    public void Uploads_in_flight_show_placeholders()
    {
        var cut = Render<AttachmentTray>(p => p.Add(x => x.Items, []).Add(x => x.Settings, new ChatSettings()).Add(x => x.Uploading, 2));

        Assert.Equal(2, cut.FindAll(".tray-loading").Count);
    }

    private static int Cost(Attachment item, PixelBudget budget)
    {
        var size = SmartResize.Compute(item.Width, item.Height, 28, budget);
        return size.Width / 28 * (size.Height / 28);
    }
}
