namespace Streaming.Detection.Ilgpu;

/// <summary>How many items a reused device buffer is sized for.</summary>
internal static class BufferCapacity
{
    /// <summary>
    /// At least <paramref name="needed"/> and <paramref name="held"/> (what the buffer being replaced held), rounded up
    /// to a power of two, so a growing batch reallocates only a few times.
    /// </summary>
    public static int RoundUp(int needed, int held = 1) =>
        (int)Math.Min(int.MaxValue, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(needed, Math.Max(held, 1))));
}
