using System.CommandLine;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Cli.Commands;

/// <summary>The options <c>inspect</c> and <c>generate</c> share, and the single user turn they describe.</summary>
internal sealed class PromptArguments
{
    public Option<string> Model { get; } = new("--model") { Description = "Model folder.", Required = true };

    public Option<string> Prompt { get; } = new("--prompt") { Description = "The user's text.", Required = true };

    public Option<string[]> Images { get; } = new("--image") { Description = "An image file; repeat for several. Images come before the text." };

    public Option<string[]> Videos { get; } = new("--video") { Description = "A video file (read with ffmpeg); repeat for several. Videos come after the images, before the text." };

    public Option<double?> VideoFps { get; } = new("--video-fps") { Description = "Frames sampled per second of video (default 2.0, qwen_vl_utils' rate)." };

    public Option<string?> System { get; } = new("--system") { Description = "System prompt (default: \"You are a helpful assistant.\")." };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Prompt);
        command.Options.Add(Images);
        command.Options.Add(Videos);
        command.Options.Add(VideoFps);
        command.Options.Add(System);
    }

    /// <summary>Samples and resizes the <c>--video</c> files in order.</summary>
    public async Task<VideoClip[]> LoadVideosAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var options = parse.GetValue(VideoFps) is { } fps ? VideoSamplingOptions.Default with { Fps = fps } : VideoSamplingOptions.Default;
        var clips = new List<VideoClip>();
        foreach (var path in parse.GetValue(Videos) ?? [])
        {
            if (!File.Exists(path))
            {
                throw new VideoInputException($"The video '{path}' does not exist.");
            }

            clips.Add(await VideoLoader.LoadAsync(path, Path.GetFileName(path), options, cancellationToken).ConfigureAwait(false));
        }

        return [.. clips];
    }

    /// <summary>Decodes the <c>--image</c> files in order.</summary>
    public RgbImage[] DecodeImages(ParseResult parse)
    {
        var decoder = new ImageDecoder();
        return (parse.GetValue(Images) ?? []).Select(decoder.DecodeFile).ToArray();
    }

    /// <summary>An optional system turn, then one user turn: the images first, then the videos, then the text.</summary>
    public List<PromptTurn> Turns(ParseResult parse, IReadOnlyList<RgbImage> images, IReadOnlyList<VideoClip>? videos = null)
    {
        var turns = new List<PromptTurn>();
        if (parse.GetValue(System) is { } systemText)
        {
            turns.Add(PromptTurn.System(systemText));
        }

        turns.Add(PromptTurn.User([.. images.Select(_ => PromptItem.Image), .. (videos ?? []).Select(_ => PromptItem.Video), PromptItem.FromText(parse.GetValue(Prompt)!)]));
        return turns;
    }
}
