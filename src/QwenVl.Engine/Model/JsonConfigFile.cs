using System.Globalization;
using System.Text.Json;

namespace QwenVl.Engine.Model;

/// <summary>
/// Reads typed fields from one JSON configuration file, turning every problem into a
/// <see cref="ModelFolderException"/> that names the file and the field.
/// </summary>
internal sealed class JsonConfigFile : IDisposable
{
    private readonly JsonDocument _document;

    private JsonConfigFile(string fileName, JsonDocument document)
    {
        FileName = fileName;
        _document = document;
    }

    public string FileName { get; }

    public JsonElement Root => _document.RootElement;

    public static JsonConfigFile Open(string folder, string fileName)
    {
        var path = System.IO.Path.Combine(folder, fileName);
        if (!File.Exists(path))
        {
            throw new ModelFolderException($"{fileName} is missing from the model folder '{folder}'.") { FileName = fileName };
        }

        return Parse(fileName, File.ReadAllBytes(path));
    }

    public static JsonConfigFile? OpenOptional(string folder, string fileName)
    {
        var path = System.IO.Path.Combine(folder, fileName);
        return File.Exists(path) ? Parse(fileName, File.ReadAllBytes(path)) : null;
    }

    private static JsonConfigFile Parse(string fileName, byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ModelFolderException($"{fileName} is not valid JSON: {ex.Message}", ex) { FileName = fileName };
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ModelFolderException($"{fileName} must contain a JSON object at the top level.") { FileName = fileName };
        }

        return new JsonConfigFile(fileName, document);
    }

    public void Dispose() => _document.Dispose();

    public ModelFolderException Error(string what) => new($"{FileName}: {what}") { FileName = FileName };

    /// <summary>Finds <paramref name="name"/> in the first of <paramref name="scopes"/> that has it.</summary>
    public static bool TryFind(string name, out JsonElement value, params JsonElement?[] scopes)
    {
        foreach (var scope in scopes)
        {
            if (scope is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    public JsonElement? Object(JsonElement scope, string name)
    {
        if (!scope.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Error($"'{name}' must be an object, found {Describe(value)}.");
    }

    public int RequiredInt(string name, params JsonElement?[] scopes) =>
        TryFind(name, out var v, scopes) ? AsInt(name, v) : throw Error($"required field '{name}' is missing.");

    public int OptionalInt(string name, int fallback, params JsonElement?[] scopes) =>
        TryFind(name, out var v, scopes) ? AsInt(name, v) : fallback;

    public int? OptionalNullableInt(string name, params JsonElement?[] scopes) =>
        TryFind(name, out var v, scopes) ? AsInt(name, v) : null;

    public long RequiredLong(string name, params JsonElement?[] scopes) =>
        TryFind(name, out var v, scopes) ? AsLong(name, v) : throw Error($"required field '{name}' is missing.");

    public double RequiredDouble(string name, params JsonElement?[] scopes) =>
        TryFind(name, out var v, scopes) ? AsDouble(name, v) : throw Error($"required field '{name}' is missing.");

    public double OptionalDouble(string name, double fallback, params JsonElement?[] scopes) =>
        TryFind(name, out var v, scopes) ? AsDouble(name, v) : fallback;

    public bool OptionalBool(string name, bool fallback, params JsonElement?[] scopes)
    {
        if (!TryFind(name, out var v, scopes))
        {
            return fallback;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"'{name}' must be true or false, found {Describe(v)}."),
        };
    }

    public IReadOnlyList<int> IntList(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return [AsInt(name, value)];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error($"'{name}' must be a number or an array of numbers, found {Describe(value)}.");
        }

        return value.EnumerateArray().Select(e => AsInt(name, e)).ToArray();
    }

    public IReadOnlyList<float> FloatList(string name, int expectedCount, params JsonElement?[] scopes)
    {
        if (!TryFind(name, out var value, scopes))
        {
            throw Error($"required field '{name}' is missing.");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error($"'{name}' must be an array of {expectedCount} numbers, found {Describe(value)}.");
        }

        var list = value.EnumerateArray().Select(e => (float)AsDouble(name, e)).ToArray();
        return list.Length == expectedCount ? list : throw Error($"'{name}' must have {expectedCount} numbers, found {list.Length}.");
    }

    private int AsInt(string name, JsonElement v)
    {
        // Python writes some integral fields as floats (2.0); accept them when they are whole numbers.
        if (v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetInt32(out var i))
            {
                return i;
            }

            if (v.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }
        }

        throw Error($"'{name}' must be an integer, found {Describe(v)}.");
    }

    private long AsLong(string name, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetInt64(out var i))
            {
                return i;
            }

            if (v.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue)
            {
                return (long)d;
            }
        }

        throw Error($"'{name}' must be an integer, found {Describe(v)}.");
    }

    private double AsDouble(string name, JsonElement v) =>
        v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Error($"'{name}' must be a number, found {Describe(v)}.");

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(v.GetString() ?? string.Empty)}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => v.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
