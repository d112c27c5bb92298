namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>The result of a search: the library found (or null, leaving the system search path) and everywhere that was looked at.</summary>
public sealed record OpenVinoLocation(string? LibraryPath, string? Source, IReadOnlyList<string> Searched);
