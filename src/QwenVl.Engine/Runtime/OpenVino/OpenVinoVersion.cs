using System.Globalization;
using System.Text.RegularExpressions;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>An OpenVINO runtime version, parsed from the build number <c>ov_get_openvino_version()</c> reports (e.g. "2025.4.1-19807-44526285f24").</summary>
public sealed partial record OpenVinoVersion(int Major, int Minor, int Patch, string BuildNumber)
{
    public static OpenVinoVersion Parse(string buildNumber)
    {
        ArgumentNullException.ThrowIfNull(buildNumber);
        var match = Leading().Match(buildNumber);
        if (!match.Success)
        {
            throw new FormatException($"'{buildNumber}' does not start with an OpenVINO version (major.minor[.patch]).");
        }

        return new OpenVinoVersion(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0,
            buildNumber);
    }

    public bool AtLeast(int major, int minor) => Major > major || (Major == major && Minor >= minor);

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    [GeneratedRegex(@"^\s*(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex Leading();
}
