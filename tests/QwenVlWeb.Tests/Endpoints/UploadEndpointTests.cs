using System.Net;
using System.Net.Http.Json;
using QwenVlWeb.Tests.Support;
using QwenVlWeb.Uploads;

namespace QwenVlWeb.Tests.Endpoints;

public sealed class UploadEndpointTests : IDisposable
{
    private readonly WebAppFactory _factory = new(new() { ["Web:MaxUploadBytes"] = "200000", ["Web:MaxImagePixels"] = "50000" });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_image_is_accepted_with_its_size_and_a_thumbnail()
    {
        using var response = await PostAsync(TestImages.Read(TestImages.Path123x77), "photo one.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<UploadResult>(TestContext.Current.CancellationToken);
        Assert.NotNull(result);
        Assert.Equal((123, 77), (result.Width, result.Height));
        Assert.Equal("photo one.png", result.Name);
        Assert.Equal("image/png", result.MediaType);
        Assert.StartsWith("data:image/jpeg;base64,", result.Thumbnail, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", result.Id);
    }

    [Fact]
    public async Task Files_over_the_byte_limit_are_refused_with_413()
    {
        using var response = await PostAsync(new byte[200_001], "big.png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("big.png is larger than", await ErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_type_is_decided_by_magic_bytes_not_the_name()
    {
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"u8.ToArray();
        using var response = await PostAsync(svg, "innocent.png");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("innocent.png is not an image this app reads", await ErrorAsync(response), StringComparison.Ordinal);

        // A real PNG named .txt is fine: the name does not matter.
        using var renamed = await PostAsync(TestImages.Read(TestImages.Path123x77), "notes.txt");
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
    }

    [Fact]
    public async Task Corrupt_and_oversized_images_are_refused_with_422()
    {
        using var truncated = await PostAsync(TestImages.Read(TestImages.Truncated), "cut.png");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, truncated.StatusCode);
        Assert.Contains("cut.png", await ErrorAsync(truncated), StringComparison.Ordinal);

        // 600×400 = 240,000 pixels, over this factory's 50,000-pixel limit.
        using var huge = await PostAsync(File.ReadAllBytes(Path.Combine(TestImages.Folder, "gradient_600x400.png")), "wide.png");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, huge.StatusCode);
        Assert.Contains("600×400", await ErrorAsync(huge), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_the_page_header_are_refused()
    {
        using var client = _factory.CreateClient();
        using var content = new ByteArrayContent(TestImages.Read(TestImages.Path123x77));
        using var response = await client.PostAsync(UploadEndpoints.Path, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task File_names_lose_folders_and_control_characters()
    {
        using var response = await PostAsync(TestImages.Read(TestImages.Path123x77), "../../etc/\u0007evil\u0000.png");

        var result = await response.Content.ReadFromJsonAsync<UploadResult>(TestContext.Current.CancellationToken);
        Assert.Equal("evil.png", result!.Name);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] data, string name)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadEndpoints.Path) { Content = new ByteArrayContent(data) };
        request.Headers.Add(UploadEndpoints.RequiredHeader, "1");
        request.Headers.Add(UploadEndpoints.FileNameHeader, Uri.EscapeDataString(name));
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<UploadError>(TestContext.Current.CancellationToken))!.Error;
}
