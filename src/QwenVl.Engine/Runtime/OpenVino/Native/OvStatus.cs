namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary><c>ov_status_e</c> (ov_common.h; unchanged across 2024–2026).</summary>
internal enum OvStatus
{
    Ok = 0,
    GeneralError = -1,
    NotImplemented = -2,
    NetworkNotLoaded = -3,
    ParameterMismatch = -4,
    NotFound = -5,
    OutOfBounds = -6,
    Unexpected = -7,
    RequestBusy = -8,
    ResultNotReady = -9,
    NotAllocated = -10,
    InferNotStarted = -11,
    NetworkNotRead = -12,
    InferCancelled = -13,
    InvalidCParam = -14,
    UnknownCError = -15,
    NotImplementCMethod = -16,
    UnknownException = -17,
}
