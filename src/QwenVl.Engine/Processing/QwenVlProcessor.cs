using QwenVl.Engine.Chat;
using QwenVl.Engine.Model;
using QwenVl.Engine.Text;
using QwenVl.Engine.Tokenization;
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
    public PreparedPrompt Prepare(IReadOnlyList<PromptTurn> turns, IReadOnlyList<RgbImage> images, PixelBudget? budget = null, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(images);
        var imageItems = turns.Sum(t => t.Items.Count(i => i.Kind == PromptItemKind.Image));
        if (imageItems != images.Count)
        {
            throw new ArgumentException($"The conversation has {imageItems} image item(s) but {images.Count} image(s) were given.", nameof(images));
        }

        if (turns.Any(t => t.Items.Any(i => i.Kind == PromptItemKind.Video)))
        {
            throw new NotSupportedException("Video items are not supported yet.");
        }

        var preprocessed = images.Select(i => Images.Preprocess(i, budget)).ToArray();
        var grids = preprocessed.Select(p => p.Grid).ToArray();
        var text = QwenChatTemplate.Render(turns, addGenerationPrompt);
        var tokens = Folder.Config.Tokens;
        var vision = Folder.Config.Vision;
        var ids = VisionPadExpander.Expand(Tokenizer.Encode(text), tokens.ImageTokenId, tokens.VideoTokenId, grids, [], vision.SpatialMergeSize);
        var positions = RopeIndex.Compute(ids, tokens, grids, [], vision.SpatialMergeSize, vision.TokensPerSecond);
        var visionInputs = grids.Length > 0 ? VisionEncoderInputs.Create(grids, vision) : null;
        return new PreparedPrompt(text, ids, preprocessed, positions, visionInputs);
    }
}
