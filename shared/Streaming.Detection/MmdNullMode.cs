namespace Streaming.Detection;

/// <summary>Where the null distribution of a layer's window MMD² comes from.</summary>
public enum MmdNullMode
{
    /// <summary>P random permutations of every window against the reference (exact conditional test, P per window).</summary>
    Permutation,

    /// <summary>
    /// Clean windows drawn once from the reference's held-out calibration split, per (layer, window
    /// size); a window then costs only its observed statistic. Needs a reference with a calibration
    /// split; without one, or for a window larger than the calibration pool, permutations are used.
    /// </summary>
    Precomputed,
}
