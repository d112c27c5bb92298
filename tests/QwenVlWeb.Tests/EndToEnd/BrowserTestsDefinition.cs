using QwenVlWeb.Tests.Support;

namespace QwenVlWeb.Tests.EndToEnd;

/// <summary>One app and one browser for all browser tests, which run one after another (they share the model's queue).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTestsDefinition : ICollectionFixture<LiveApp>
{
    public const string Name = "browser";
}
