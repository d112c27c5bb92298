using QwenVl.Engine.Chat;
using QwenVl.Engine.Model;
using QwenVl.Engine.Text;
using QwenVl.Engine.Tokenization;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Processing;

/// <summary>
/// The host side of HF's <c>Qwen2_5_VLProcessor</c> plus <c>get_rope_index</c>: renders the chat template,
/// preprocesses the images, tokenizes, expands the vision pads and computes the 3-D positions.
/// </summary>
public sealed class QwenVlProcessor
{
    public QwenVlProcessor(ModelFolder folder, QwenTokenizer tokenizer)
    {
        Folder = folder ?? throw new ArgumentNullException(nameof(folder));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        Images = new ImagePreprocessor(folder.Preprocessor);
        if (!QwenChatTemplate.IsQwenVlTemplate(folder.ChatTemplate))
        {
            // The template is rendered natively; a different one would silently change every prompt.
            throw new ModelFolderException(
                $"The chat template of '{folder.Path}' is not the Qwen2-VL / Qwen2.5-VL template this application renders.") { FileName = ModelFolder.ChatTemplateFileName };
        }

        var ids = folder.Config.Tokens;
        foreach (var (name, id) in new[] { ("<|image_pad|>", ids.ImageTokenId), ("<|video_pad|>", ids.VideoTokenId), ("<|vision_start|>", ids.VisionStartTokenId), ("<|vision_end|>", ids.VisionEndTokenId) })
        {
            if (tokenizer.TokenToId(name) != id)
            {
                throw new ModelFolderException($"{ModelFolder.TokenizerFileName} maps {name} to {tokenizer.TokenToId(name)?.ToString() ?? "nothing"}, but {ModelFolder.ConfigFileName} says {id}.") { FileName = ModelFolder.TokenizerFileName };
            }
        }
    }

    public ModelFolder Folder { get; }

    public QwenTokenizer Tokenizer { get; }

    public ImagePreprocessor Images { get; }

    /// <summary>Loads the tokenizer of <paramref name="folder"/> and builds a processor.</summary>
    public static QwenVlProcessor Load(ModelFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return new QwenVlProcessor(folder, QwenTokenizer.FromFile(folder.TokenizerPath));
    }

    /// <summary>Prepares a conversation whose image items are given, in order, by <paramref name="images"/>.</summary>
    /// <exception cref="ArgumentException">The number of image items and images differ.</exception>
    /// <exception cref="ImageInputException">An image cannot be resized within <paramref name="budget"/>.</exception>
    public PreparedPrompt Prepare(IReadOnlyList<PromptTurn> turns, IReadOnlyList<RgbImage> images, PixelBudget? budget = null, bool addGenerationPrompt = true) =>
        Prepare(turns, images, [], budget, addGenerationPrompt);

    /// <summary>
    /// Prepares a conversation whose image and video items are given, in order, by <paramref name="images"/> and
    /// <paramref name="videos"/> (sampled and resized by <see cref="VideoLoader"/>). Images and videos go through the
    /// vision tower separately; video positions advance by second_per_grid × tokens_per_second per temporal patch.
    /// </summary>
    /// <exception cref="ArgumentException">The number of image or video items and inputs differ.</exception>
    /// <exception cref="ImageInputException">An image cannot be resized within <paramref name="budget"/>.</exception>
    public PreparedPrompt Prepare(IReadOnlyList<PromptTurn> turns, IReadOnlyList<RgbImage> images, IReadOnlyList<VideoClip> videos, PixelBudget? budget = null, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(videos);
        var imageItems = turns.Sum(t => t.Items.Count(i => i.Kind == PromptItemKind.Image));
        if (imageItems != images.Count)
        {
            throw new ArgumentException($"The conversation has {imageItems} image item(s) but {images.Count} image(s) were given.", nameof(images));
        }

        var videoItems = turns.Sum(t => t.Items.Count(i => i.Kind == PromptItemKind.Video));
        if (videoItems != videos.Count)
        {
            throw new ArgumentException($"The conversation has {videoItems} video item(s) but {videos.Count} video(s) were given.", nameof(videos));
        }

        var preprocessed = images.Select(i => Images.Preprocess(i, budget)).ToArray();
        var preprocessedVideos = videos.Select(Images.PreprocessVideo).ToArray();
        var grids = preprocessed.Select(p => p.Grid).ToArray();
        var videoGrids = preprocessedVideos.Select(v => new VideoGrid(v.Grid, v.SecondsPerGrid)).ToArray();
        var text = QwenChatTemplate.Render(turns, addGenerationPrompt);
        var tokens = Folder.Config.Tokens;
        var vision = Folder.Config.Vision;
        var ids = VisionPadExpander.Expand(Tokenizer.Encode(text), tokens.ImageTokenId, tokens.VideoTokenId, grids, [.. videoGrids.Select(v => v.Grid)], vision.SpatialMergeSize);
        var positions = RopeIndex.Compute(ids, tokens, grids, videoGrids, vision.SpatialMergeSize, vision.TokensPerSecond);
        return new PreparedPrompt(text, ids, preprocessed, preprocessedVideos, positions, vision);
    }

    /// <summary>
    /// What a conversation will cost, from its images' sizes and its videos' frame plans alone (nothing decoded): the
    /// prompt tokens and patch grids that <see cref="Budget.RequestBudget"/> checks before any work.
    /// </summary>
    public Budget.PromptShape Shape(IReadOnlyList<PromptTurn> turns, IReadOnlyList<ImageSize> images, IReadOnlyList<(VideoFramePlan Plan, ImageSize Resized)> videos,
        PixelBudget? budget, int maxNewTokens, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(videos);
        var imageGrids = images.Select(size => Images.Plan(size, budget).Grid).ToArray();
        var videoGrids = videos.Select(v => Images.PlanVideo(v.Plan, v.Resized)).ToArray();
        var merge = Folder.Config.Vision.SpatialMergeSize;
        var tokens = CountTokens(turns, [.. imageGrids.Select(g => g.TokenCount(merge))], [.. videoGrids.Select(g => g.TokenCount(merge))], addGenerationPrompt);
        return new Budget.PromptShape(tokens, imageGrids, videoGrids, maxNewTokens);
    }

    /// <summary>
    /// The prompt tokens a conversation becomes when its images and videos cost <paramref name="imageTokens"/> and
    /// <paramref name="videoTokens"/> (in order), without any pixels: the template's tokens with each pad counted as
    /// its expansion. What <see cref="Prepare(IReadOnlyList{PromptTurn}, IReadOnlyList{RgbImage}, IReadOnlyList{VideoClip}, PixelBudget?, bool)"/>
    /// would produce, for budget checks before decoding.
    /// </summary>
    public int CountTokens(IReadOnlyList<PromptTurn> turns, IReadOnlyList<int> imageTokens, IReadOnlyList<int> videoTokens, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(imageTokens);
        ArgumentNullException.ThrowIfNull(videoTokens);
        var tokens = Folder.Config.Tokens;
        var ids = Tokenizer.Encode(QwenChatTemplate.Render(turns, addGenerationPrompt));
        var images = ids.Count(i => i == tokens.ImageTokenId);
        var videos = ids.Count(i => i == tokens.VideoTokenId);
        if (images != imageTokens.Count || videos != videoTokens.Count)
        {
            throw new ArgumentException($"The conversation has {images} image and {videos} video item(s) but {imageTokens.Count} and {videoTokens.Count} costs were given.");
        }

        return ids.Length - images - videos + imageTokens.Sum() + videoTokens.Sum();
    }
}
