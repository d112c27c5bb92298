using System.Runtime;

namespace QwenVl.Engine.Generation;

/// <summary>
/// Gives memory back to the machine after a large request. A request's pixel values, masks and features are large
/// objects; once they are garbage the GC reuses their pages but, left to itself, keeps them committed, so a server
/// that answered three 12-megapixel photos would stay gigabytes larger. Call it where a request's inputs are no longer
/// referenced (after the answer, outside the generation).
/// </summary>
public static class MemoryTrim
{
    /// <summary>Committed managed memory above which <see cref="AfterRequest"/> compacts and decommits.</summary>
    public const long ThresholdBytes = 256L * 1024 * 1024;

    /// <summary>Compacts the heap (large objects included) and returns free pages, when much is committed; true if it did.</summary>
    public static bool AfterRequest()
    {
        if (GC.GetGCMemoryInfo().TotalCommittedBytes < ThresholdBytes)
        {
            return false;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
