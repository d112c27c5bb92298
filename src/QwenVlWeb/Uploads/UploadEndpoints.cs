using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace QwenVlWeb.Uploads;

/// <summary>
/// <c>POST /api/uploads</c>: one image or video per request, as the raw body (the file name in <c>X-File-Name</c>, URL-encoded).
/// Limits, in order: bytes (413), type by magic bytes (415), pixels, duration and decodability (422). The custom header
/// <see cref="RequiredHeader"/> makes a cross-site form or fetch impossible without a CORS preflight, which this
/// server never grants, so another site cannot post into a user's session.
/// </summary>
public static class UploadEndpoints
{
    public const string Path = "/api/uploads";
    public const string RequiredHeader = "X-QwenVl-Upload";
    public const string FileNameHeader = "X-File-Name";

    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, UploadAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ImageIntake intake)
    {
        var request = context.Request;
        if (!request.Headers.ContainsKey(RequiredHeader))
        {
            return Results.BadRequest(new UploadError($"Uploads must come from the page (the {RequiredHeader} header is missing)."));
        }

        var name = FileName(request.Headers[FileNameHeader].ToString());

        // Kestrel's default body limit (about 28 MB) is below the video limit; this endpoint enforces its own.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = intake.MaxBytes + 1;
        }

        var data = request.ContentLength > intake.MaxBytes ? null : await ReadAtMostAsync(request.Body, request.ContentLength, intake.MaxBytes, context.RequestAborted);
        if (data is null)
        {
            return Results.Json(new UploadError(ImageIntake.TooLarge(name, intake.MaxBytes)), statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var (media, problem, status) = await intake.AcceptAsync(name, data, context.RequestAborted);
        return media is null
            ? Results.Json(new UploadError(problem!), statusCode: status)
            : Results.Ok(new UploadResult(media.Id, media.Name, media.MediaType, media.Width, media.Height, media.ThumbnailDataUrl, media.Video?.Duration.TotalSeconds));
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (read no further than one byte past it).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long? contentLength, long limit, CancellationToken cancellationToken)
    {
        // Sized by Content-Length when the browser sends it (it does for files), so a 200 MB video is not regrown
        // and copied on the way in.
        using var buffer = new MemoryStream((int)Math.Min(contentLength ?? 0, limit));
        var chunk = new byte[81920];
        while (true)
        {
            var read = await body.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }

    /// <summary>A display name: decoded, without folders or control characters, at most 100 characters.</summary>
    private static string FileName(string header)
    {
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(header);
        }
        catch (UriFormatException)
        {
            decoded = header;
        }

        var name = new StringBuilder();
        foreach (var c in System.IO.Path.GetFileName(decoded.Replace('\\', '/')))
        {
            if (!char.IsControl(c))
            {
                name.Append(c);
            }
        }

        var result = name.ToString().Trim();
        return result.Length == 0 ? "The image" : result.Length > 100 ? result[..100] : result;
    }
}
