using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace QwenVlWeb.Uploads;

/// <summary>
/// Accepted uploads between the HTTP upload and the message that takes them. Ids are 128-bit random (unguessable);
/// entries expire after <see cref="Lifetime"/>, and the oldest go first when <see cref="MaxTotalBytes"/> is reached.
/// A sent message keeps its own reference, so expiry never loses a conversation's images.
/// </summary>
public sealed class UploadStore(TimeProvider time)
{
    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(1);

    public const long MaxTotalBytes = 512L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, UploadedMedia> _items = new(StringComparer.Ordinal);
    private readonly Lock _trim = new();

    public UploadedMedia Add(string name, string mediaType, byte[] data, int width, int height, string thumbnailDataUrl, QwenVl.Engine.Video.VideoInfo? video = null)
    {
        var image = new UploadedMedia(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), name, mediaType, data, width, height, thumbnailDataUrl)
        {
            StoredAt = time.GetUtcNow(),
            Video = video,
        };
        _items[image.Id] = image;
        Trim();
        return image;
    }

    public UploadedMedia? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _items.TryGetValue(id, out var image) && time.GetUtcNow() - image.StoredAt < Lifetime ? image : null;
    }

    private void Trim()
    {
        lock (_trim)
        {
            var now = time.GetUtcNow();
            var ordered = _items.Values.OrderBy(i => i.StoredAt).ToList();
            var total = ordered.Sum(i => (long)i.Data.Length);
            foreach (var item in ordered)
            {
                if (now - item.StoredAt < Lifetime && total <= MaxTotalBytes)
                {
                    break;
                }

                _items.TryRemove(item.Id, out _);
                total -= item.Data.Length;
            }
        }
    }
}
