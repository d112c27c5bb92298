using Microsoft.Extensions.AI;

namespace QwenVlWeb.Services;

/// <summary>
/// Wraps the loaded model's <see cref="IChatClient"/> (logging, telemetry, a remote engine's middleware). Register
/// any number as singletons; they apply in registration order, the first one outermost.
/// </summary>
public sealed class ChatClientDecorator(Func<IChatClient, IChatClient> wrap)
{
    public IChatClient Wrap(IChatClient inner) => wrap(inner);
}
