using System.CommandLine;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Generation;
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

    public Option<int?> MaxPromptTokens { get; } = new("--max-prompt-tokens") { Description = "Prompt plus answer tokens this run may use (default: the model's context within the memory budget). Over it: exit 2 before any decoding." };

    public Option<int?> MemoryBudgetMb { get; } = new("--memory-budget-mb") { Description = "Memory one request may use, in MiB (default: half of this machine's)." };

    public Option<int> PrefillChunk { get; } = new("--prefill-chunk") { Description = "Prompt tokens per prefill step.", DefaultValueFactory = _ => InferenceLimits.DefaultPrefillChunkTokens };

    public Option<int> VisionPatchesPerCall { get; } = new("--vision-patches-per-call") { Description = "Patches per vision-tower call (whole frames; a larger frame goes alone).", DefaultValueFactory = _ => InferenceLimits.DefaultVisionPatchesPerCall };

    /// <summary>Adds the budget and chunking options (for commands that run the model).</summary>
    public void AddLimitsTo(Command command)
    {
        command.Options.Add(MaxPromptTokens);
        command.Options.Add(MemoryBudgetMb);
        command.Options.Add(PrefillChunk);
        command.Options.Add(VisionPatchesPerCall);
    }

    public InferenceLimits Limits(ParseResult parse) => new InferenceLimits
    {
        MaxPromptTokens = parse.GetValue(MaxPromptTokens),
        MemoryBudgetMB = parse.GetValue(MemoryBudgetMb),
        PrefillChunkTokens = parse.GetValue(PrefillChunk),
        VisionPatchesPerCall = parse.GetValue(VisionPatchesPerCall),
    }.Validated();

    /// <summary>
    /// Reads the <c>--image</c> and <c>--video</c> inputs for <paramref name="model"/>, refusing the request first if it
    /// is over the model's budget, from the images' headers and the videos' probes alone: nothing is decoded before
    /// that check passes, each file is read once and each video probed once.
    /// </summary>
    public async Task<(RgbImage[] Images, VideoClip[] Videos)> LoadWithinBudgetAsync(ParseResult parse, QwenVlModel model, PixelBudget budget, int maxNewTokens,
        CancellationToken cancellationToken)
    {
        var decoder = new ImageDecoder();
        var imagePaths = parse.GetValue(Images) ?? [];
        var files = imagePaths.Select(decoder.ReadFile).ToArray();
        var sizes = files.Select((bytes, i) => decoder.ReadSize(bytes, Path.GetFileName(imagePaths[i]))).ToArray();

        var videoPaths = ExistingVideos(parse);
        var options = VideoOptions(parse);
        var probes = new List<VideoInfo>();
        foreach (var path in videoPaths)
        {
            probes.Add(await FfmpegVideoReader.ProbeAsync(path, Path.GetFileName(path), cancellationToken).ConfigureAwait(false));
        }

        var plans = probes.Select((info, i) => VideoLoader.PlanFor(info, options, Path.GetFileName(videoPaths[i]))).ToArray();
        var turns = Turns(parse, [.. sizes.Select(_ => PromptItem.Image)], [.. plans.Select(_ => PromptItem.Video)]);
        model.Budget.EnsureFits(model.Processor.Shape(turns, sizes, plans, budget, maxNewTokens));

        var images = files.Select((bytes, i) => decoder.Decode(bytes, Path.GetFileName(imagePaths[i]))).ToArray();
        var videos = new List<VideoClip>();
        for (var i = 0; i < videoPaths.Length; i++)
        {
            videos.Add(await VideoLoader.LoadAsync(videoPaths[i], probes[i], Path.GetFileName(videoPaths[i]), options, cancellationToken).ConfigureAwait(false));
        }

        return (images, [.. videos]);
    }

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
        var options = VideoOptions(parse);
        var clips = new List<VideoClip>();
        foreach (var path in ExistingVideos(parse))
        {
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
    public List<PromptTurn> Turns(ParseResult parse, IReadOnlyList<RgbImage> images, IReadOnlyList<VideoClip>? videos = null) =>
        Turns(parse, [.. images.Select(_ => PromptItem.Image)], [.. (videos ?? []).Select(_ => PromptItem.Video)]);

    private string[] ExistingVideos(ParseResult parse)
    {
        var paths = parse.GetValue(Videos) ?? [];
        return paths.FirstOrDefault(p => !File.Exists(p)) is { } missing ? throw new VideoInputException($"The video '{missing}' does not exist.") : paths;
    }

    private VideoSamplingOptions VideoOptions(ParseResult parse) =>
        parse.GetValue(VideoFps) is { } fps ? VideoSamplingOptions.Default with { Fps = fps } : VideoSamplingOptions.Default;

    private List<PromptTurn> Turns(ParseResult parse, PromptItem[] images, PromptItem[] videos)
    {
        var turns = new List<PromptTurn>();
        if (parse.GetValue(System) is { } systemText)
        {
            turns.Add(PromptTurn.System(systemText));
        }

        turns.Add(PromptTurn.User([.. images, .. videos, PromptItem.FromText(parse.GetValue(Prompt)!)]));
        return turns;
    }
}
