namespace QwenVlWeb.Services;

/// <summary>One card of the example gallery: a title, the prompt it fills in, and the image it attaches.</summary>
/// <param name="Title">The card's heading.</param>
/// <param name="Prompt">The text put into the input box.</param>
/// <param name="ImageUrl">Where the browser fetches the picture (under <see cref="ExampleGallery.UrlPrefix"/>).</param>
/// <param name="ImagePath">The file on disk, for attaching.</param>
public sealed record ExampleCard(string Title, string Prompt, string ImageUrl, string ImagePath);
