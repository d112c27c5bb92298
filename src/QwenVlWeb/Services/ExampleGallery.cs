using System.Text.Json;
using System.Text.Json.Serialization;

namespace QwenVlWeb.Services;

/// <summary>
/// The example cards from <c>wwwroot-assets/examples.json</c> (at the repository root in a checkout, next to the app
/// when published). Entries whose image is missing or outside the folder are left out and logged.
/// </summary>
public sealed partial class ExampleGallery
{
    public const string UrlPrefix = "/gallery";

    public ExampleGallery(ILogger<ExampleGallery> logger)
    {
        Folder = FindFolder();
        Cards = Load(Folder, logger);
    }

    /// <summary>The folder served under <see cref="UrlPrefix"/>.</summary>
    public string Folder { get; }

    public IReadOnlyList<ExampleCard> Cards { get; }

    private static string FindFolder()
    {
        var checkout = Path.Combine(AppPaths.BaseFolder, "wwwroot-assets");
        return Directory.Exists(checkout) ? checkout : Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
    }

    private static List<ExampleCard> Load(string folder, ILogger logger)
    {
        var file = Path.Combine(folder, "examples.json");
        if (!File.Exists(file))
        {
            return [];
        }

        Entry[]? entries;
        try
        {
            entries = JsonSerializer.Deserialize<Entry[]>(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            Log.BadGallery(logger, file, ex.Message);
            return [];
        }

        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var cards = new List<ExampleCard>();
        foreach (var entry in entries ?? [])
        {
            if (entry is not { Title: { Length: > 0 } title, Prompt: { Length: > 0 } prompt, Image: { Length: > 0 } image })
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(folder, image));
            if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
            {
                Log.MissingImage(logger, image);
                continue;
            }

            var url = UrlPrefix + "/" + string.Join('/', Path.GetRelativePath(folder, path).Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
            cards.Add(new ExampleCard(title, prompt, url, path));
        }

        return cards;
    }

    private sealed record Entry(
        [property: JsonPropertyName("title")] string? Title,
        [property: JsonPropertyName("prompt")] string? Prompt,
        [property: JsonPropertyName("image")] string? Image);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The example gallery {File} is not valid JSON: {Problem}")]
        public static partial void BadGallery(ILogger logger, string file, string problem);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Example image {Image} is missing or outside wwwroot-assets; the card is left out.")]
        public static partial void MissingImage(ILogger logger, string image);
    }
}
