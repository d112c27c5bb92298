using Microsoft.Extensions.AI;

namespace QwenVlWeb.Services;

/// <summary>Where the generation queue gets the chat client from: the loaded model today, a remote engine later.</summary>
public interface IChatClientSource
{
    /// <summary>The client to answer with; null while no model is ready.</summary>
    IChatClient? ChatClient { get; }
}
