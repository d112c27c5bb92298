using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using QwenVlWeb.Services;

namespace QwenVlWeb.Access;

/// <summary>
/// The optional access code for a page shared on a LAN. With <c>Web:AccessCode</c> set, every request (the page, the
/// Blazor circuit, uploads) needs the cookie that entering the code sets; pages redirect to <see cref="Path"/>, other
/// requests get 401. The cookie holds an HMAC of a fixed label keyed by the code, so it survives restarts and dies
/// when the code changes. Wrong codes are throttled per address.
/// </summary>
public sealed class AccessGate(IOptionsMonitor<WebSettings> settings, TimeProvider time)
{
    public const string Path = "/access";
    public const string CookieName = "qwenvl_access";
    public const int MaxFailuresPerMinute = 5;

    private readonly ConcurrentDictionary<IPAddress, (int Count, DateTimeOffset Since)> _failures = new();

    public bool IsEnabled => !string.IsNullOrEmpty(settings.CurrentValue.AccessCode);

    /// <summary>True when the request may pass: no code is set, or its cookie matches.</summary>
    public bool Allows(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsEnabled)
        {
            return true;
        }

        var cookie = context.Request.Cookies[CookieName];
        if (cookie is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(CookieValue(settings.CurrentValue.AccessCode));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), expected);
    }

    /// <summary>Checks a code typed by a user. Returns null when accepted, else what to tell them.</summary>
    public string? TryEnter(HttpContext context, string? code)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var now = time.GetUtcNow();
        if (_failures.TryGetValue(address, out var record) && now - record.Since < TimeSpan.FromMinutes(1) && record.Count >= MaxFailuresPerMinute)
        {
            return "Too many wrong codes. Wait a minute, then try again.";
        }

        var expected = Encoding.UTF8.GetBytes(settings.CurrentValue.AccessCode);
        var given = Encoding.UTF8.GetBytes(code ?? string.Empty);
        if (!IsEnabled || CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected)))
        {
            _failures.TryRemove(address, out _);
            context.Response.Cookies.Append(CookieName, CookieValue(settings.CurrentValue.AccessCode), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                IsEssential = true,
                Expires = now.AddDays(30),
            });
            return null;
        }

        _failures.AddOrUpdate(address, _ => (1, now), (_, r) => now - r.Since < TimeSpan.FromMinutes(1) ? (r.Count + 1, r.Since) : (1, now));
        return "That code is not right.";
    }

    private static string CookieValue(string code) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(code), "qwenvlweb access v1"u8)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
