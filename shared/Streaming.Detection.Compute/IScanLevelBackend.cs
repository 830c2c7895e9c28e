namespace Streaming.Detection.Compute;

/// <summary>
/// The device half of the subset scan's per-event levels: holds every background group's sorted node
/// values and the threshold level of each tail count, and computes for a batch of events the level of
/// every (event, node): two binary searches and a table lookup, exact (no rounding), so a device gives
/// the CPU's levels bit for bit. The scan's search and null stay with the caller.
/// Not thread-safe: one caller at a time, as the device is shared.
/// </summary>
public interface IScanLevelBackend : IDisposable
{
    /// <summary>Which library and device, for the start-up log (e.g. "ILGPU Cuda NVIDIA H200").</summary>
    string Description { get; }

    /// <summary>Whether <see cref="Load"/> was called.</summary>
    bool Loaded { get; }

    /// <summary>Uploads the backgrounds and level tables; once per backend.</summary>
    void Load(ScanLevelModel model);

    /// <summary>Levels of <paramref name="events"/> events.</summary>
    /// <param name="vectors">Row-major events × nodes values (the layers side by side, in order).</param>
    /// <param name="groups">Per event its background group.</param>
    /// <returns>Row-major events × nodes levels.</returns>
    byte[] Levels(int events, float[] vectors, int[] groups);
}
