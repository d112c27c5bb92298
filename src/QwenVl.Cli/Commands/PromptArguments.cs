using System.CommandLine;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Vision;

namespace QwenVl.Cli.Commands;

/// <summary>The options <c>inspect</c> and <c>generate</c> share, and the single user turn they describe.</summary>
internal sealed class PromptArguments
{
    public Option<string> Model { get; } = new("--model") { Description = "Model folder.", Required = true };

    public Option<string> Prompt { get; } = new("--prompt") { Description = "The user's text.", Required = true };

    public Option<string[]> Images { get; } = new("--image") { Description = "An image file; repeat for several. Images come before the text." };

    public Option<string?> System { get; } = new("--system") { Description = "System prompt (default: \"You are a helpful assistant.\")." };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Prompt);
        command.Options.Add(Images);
        command.Options.Add(System);
    }

    /// <summary>Decodes the <c>--image</c> files in order.</summary>
    public RgbImage[] DecodeImages(ParseResult parse)
    {
        var decoder = new ImageDecoder();
        return (parse.GetValue(Images) ?? []).Select(decoder.DecodeFile).ToArray();
    }

    /// <summary>An optional system turn, then one user turn: the images first, then the text.</summary>
    public List<PromptTurn> Turns(ParseResult parse, IReadOnlyList<RgbImage> images)
    {
        var turns = new List<PromptTurn>();
        if (parse.GetValue(System) is { } systemText)
        {
            turns.Add(PromptTurn.System(systemText));
        }

        turns.Add(PromptTurn.User([.. images.Select(_ => PromptItem.Image), PromptItem.FromText(parse.GetValue(Prompt)!)]));
        return turns;
    }
}
