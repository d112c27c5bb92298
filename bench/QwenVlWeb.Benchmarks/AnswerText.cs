using QwenVl.Engine.Tokenization;
using QwenVl.ModelBuilder;

namespace QwenVlWeb.Benchmarks;

/// <summary>
/// A realistic 2,000-token answer (headings, paragraphs, lists, a JSON code block, a table), cut into the pieces the
/// decode loop would stream: one per Qwen token, decoded with the real tokenizer.
/// </summary>
internal static class AnswerText
{
    public const int Tokens = 2000;

    private const string Section = """
        ## Objects in the picture

        The image shows a small red house with a brown roof, two windows and a door, next to a tree and a blue car.
        The sky is clear and a yellow sun sits in the upper right corner; the grass covers the lower third.

        - **House**: red walls, brown roof, two light-blue windows
        - **Tree**: a green crown on a brown trunk, right of the house
        - **Car**: blue, parked on the grass, two black wheels

        ```json
        [
          {"bbox_2d": [90, 110, 290, 300], "label": "house"},
          {"bbox_2d": [340, 90, 465, 300], "label": "tree"},
          {"bbox_2d": [430, 270, 600, 371], "label": "car"}
        ]
        ```

        | object | colour | position |
        |--------|--------|----------|
        | house  | red    | left     |
        | tree   | green  | centre   |
        | car    | blue   | right    |


        """;

    public static IReadOnlyList<string> Pieces(QwenTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>();
        while (ids.Count < Tokens)
        {
            ids.AddRange(tokenizer.Encode(Section));
        }

        var detokenizer = tokenizer.CreateStreamingDetokenizer();
        return [.. ids.Take(Tokens).Select(detokenizer.Append)];
    }

    /// <summary>The Qwen tokenizer, from a freshly generated demo model folder.</summary>
    public static QwenTokenizer LoadTokenizer()
    {
        var folder = Directory.CreateTempSubdirectory("qwenvl-bench-").FullName;
        try
        {
            GeneratedModelWriter.Write(folder, ModelPreset.Tiny, 1);
            return QwenTokenizer.FromFile(Path.Combine(folder, "tokenizer.json"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
