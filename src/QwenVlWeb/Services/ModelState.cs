namespace QwenVlWeb.Services;

/// <summary>Where the app's one model is in its life.</summary>
public enum ModelState
{
    /// <summary>No usable model is configured; the page shows how to add one and offers the demo model.</summary>
    Missing,

    /// <summary>A model is being generated or loaded.</summary>
    Loading,

    /// <summary>The model answers.</summary>
    Ready,

    /// <summary>Loading failed; <see cref="ModelHost.Problem"/> says why.</summary>
    Failed,
}
