using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>An OpenVINO C API call failed: the call, its status and OpenVINO's own message.</summary>
public sealed class OpenVinoException : Exception
{
    public OpenVinoException(string message)
        : base(message)
    {
    }

    public OpenVinoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OpenVinoException()
    {
    }

    /// <summary>The <c>ov_status_e</c> value (0 when not from a status).</summary>
    public int Status { get; init; }

    /// <summary>The one funnel for native statuses: throws with <c>ov_get_last_err_msg()</c> unless the status is OK.</summary>
    internal static void ThrowIfFailed(OvStatus status, [CallerArgumentExpression(nameof(status))] string? call = null)
    {
        if (status == OvStatus.Ok)
        {
            return;
        }

        // The last message is process-global and not cleared on success: read it at once, and only on failure.
        var detail = string.Empty;
        var message = OpenVinoInterop.ov_get_last_err_msg();
        if (message != 0)
        {
            try
            {
                detail = Marshal.PtrToStringUTF8(message)?.Trim() ?? string.Empty;
            }
            finally
            {
                OpenVinoInterop.ov_free(message);
            }
        }

        var name = call is null ? "OpenVINO" : call[..Math.Max(0, call.IndexOf('(', StringComparison.Ordinal))] is { Length: > 0 } fn ? fn : call;
        throw new OpenVinoException($"{name} failed with {status} ({(int)status}){(detail.Length > 0 ? ": " + detail : ".")}") { Status = (int)status };
    }
}
