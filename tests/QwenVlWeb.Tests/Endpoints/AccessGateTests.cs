using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using QwenVlWeb.Access;
using QwenVlWeb.Tests.Support;
using QwenVlWeb.Uploads;

namespace QwenVlWeb.Tests.Endpoints;

public sealed class AccessGateTests : IDisposable
{
    private const string Code = "orange-42";
    private readonly WebAppFactory _factory = new(new() { ["Web:AccessCode"] = Code });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Without_the_code_pages_redirect_to_the_form_and_endpoints_answer_401()
    {
        using var client = NewClient();

        using var page = await GetPageAsync(client, "/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/access?return=%2F", page.Headers.Location!.OriginalString);

        using var upload = await PostUploadAsync(client);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);

        using var hub = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Fact]
    public async Task The_right_code_sets_a_cookie_that_opens_the_page_and_the_endpoints()
    {
        using var client = NewClient();

        using var wrong = await EnterAsync(client, "lemon", "/");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("That code is not right.", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var right = await EnterAsync(client, Code, "/");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = await GetPageAsync(client, "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var upload = await PostUploadAsync(client);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_are_throttled_and_the_return_address_stays_on_this_site()
    {
        using var client = NewClient();
        for (var i = 0; i < AccessGate.MaxFailuresPerMinute; i++)
        {
            using var _ = await EnterAsync(client, $"guess-{i}", "/");
        }

        using var throttled = await EnterAsync(client, Code, "/");
        Assert.Contains("Too many wrong codes", await throttled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var fresh = new WebAppFactory(new() { ["Web:AccessCode"] = Code });
        using var freshClient = fresh.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var offsite = await EnterAsync(freshClient, Code, "//evil.example/");
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);
    }

    private HttpClient NewClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> GetPageAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> EnterAsync(HttpClient client, string code, string returnPath)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["return"] = returnPath });
        return await client.PostAsync(AccessGate.Path, form, TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> PostUploadAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, UploadEndpoints.Path) { Content = new ByteArrayContent(TestImages.Read(TestImages.Path123x77)) };
        request.Headers.Add(UploadEndpoints.RequiredHeader, "1");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
