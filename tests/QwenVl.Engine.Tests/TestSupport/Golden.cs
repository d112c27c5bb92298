using System.Text.Json;

namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>Small helpers to read golden.json entries.</summary>
internal static class Golden
{
    public static IEnumerable<JsonElement> Cases(string section) => TestAssets.GoldenJson.GetProperty(section).EnumerateArray();

    public static JsonElement Case(string section, string name) =>
        Cases(section).Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Theory data: the <paramref name="key"/> string of every case in <paramref name="section"/>.</summary>
    public static TheoryData<string> Keys(string section, string key = "name")
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(section))
        {
            data.Add(c.GetProperty(key).GetString()!);
        }

        return data;
    }

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static long[] Longs(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();

    public static Engine.Vision.GridThw[] Grids(this JsonElement e) =>
        e.EnumerateArray().Select(g => g.Ints()).Select(g => new Engine.Vision.GridThw(g[0], g[1], g[2])).ToArray();
}
