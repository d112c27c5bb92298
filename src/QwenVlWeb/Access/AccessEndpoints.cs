using System.Net;

namespace QwenVlWeb.Access;

/// <summary>The gate's middleware and its small form page (plain HTML: it must work before the Blazor circuit may start).</summary>
public static class AccessEndpoints
{
    public static IApplicationBuilder UseAccessGate(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            var gate = context.RequestServices.GetRequiredService<AccessGate>();
            if (gate.Allows(context) || context.Request.Path.Equals(AccessGate.Path, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var wantsPage = HttpMethods.IsGet(context.Request.Method)
                && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
            if (wantsPage)
            {
                context.Response.Redirect($"{AccessGate.Path}?return={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = "This page is protected by an access code; open it in the browser to enter the code." });
        });
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(AccessGate.Path, (HttpContext context) => Form(Return(context.Request.Query["return"]), null));
        app.MapPost(AccessGate.Path, async (HttpContext context, AccessGate gate) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var target = Return(form["return"]);
            var problem = gate.TryEnter(context, form["code"]);
            return problem is null ? Results.Redirect(target) : Form(target, problem);
        }).DisableAntiforgery();
        return app;
    }

    /// <summary>Only a local path: never another host (no open redirect).</summary>
    private static string Return(string? value) =>
        value is { Length: > 0 } && value[0] == '/' && !value.StartsWith("//", StringComparison.Ordinal) && !value.StartsWith("/\\", StringComparison.Ordinal) ? value : "/";

    private static IResult Form(string returnPath, string? problem)
    {
        var message = problem is null ? string.Empty : $"<p class=\"problem\" role=\"alert\">{WebUtility.HtmlEncode(problem)}</p>";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Access code · Qwen2.5-VL</title>
            <style>
              body { font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 100vh; margin: 0; background: #f4f5f7; color: #1f2430; }
              @media (prefers-color-scheme: dark) { body { background: #1b1e24; color: #e8eaed; } form { background: #262a33 !important; } }
              form { background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 4px 24px #0002; width: min(22rem, 90vw); }
              h1 { font-size: 1.3rem; margin-top: 0; } input, button { font: inherit; padding: .6rem .8rem; width: 100%; box-sizing: border-box; margin-top: .6rem; border-radius: 8px; }
              input { border: 1px solid #8a8f99; } button { background: #594ae2; color: #fff; border: 0; cursor: pointer; } .problem { color: #d32f2f; }
            </style></head>
            <body><form method="post" action="{{AccessGate.Path}}">
              <h1>Qwen2.5-VL chat</h1><p>Whoever shared this page set an access code. Enter it to continue.</p>{{message}}
              <input type="hidden" name="return" value="{{WebUtility.HtmlEncode(returnPath)}}">
              <label for="code">Access code</label><input id="code" name="code" type="password" autocomplete="current-password" autofocus required>
              <button type="submit">Continue</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: problem is null ? 200 : 401);
    }
}
