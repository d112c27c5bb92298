using QwenVlWeb.Chat;

namespace QwenVlWeb.Tests.Support;

internal static class EventExtensions
{
    public static T As<T>(this GenerationEvent e) where T : GenerationEvent => Assert.IsType<T>(e);
}
