namespace Streaming.Detection;

/// <summary>
/// The seeded, representative sample a reference is calibrated from. All items of the clean source
/// are shuffled with the seed (Fisher–Yates, System.Random's seeded generator, stable across .NET
/// versions); the first <c>referenceCount</c> become the reference (the MMD reference and the
/// k-NN neighbours of per-input scoring), the next <c>calibrationCount</c> the held-out calibration
/// split of the conformal p-values. Both are uniform random samples of the whole source and
/// disjoint, rather than its first N items, which would over-represent whatever the source is
/// ordered by (MNIST's test set puts one writer population in its first 5,000 images).
/// </summary>
public static class CalibrationSample
{
    public const ulong DefaultSeed = 1;

    /// <returns>Source indices of the reference and of the calibration split, each in shuffled order.</returns>
    public static (int[] Reference, int[] Calibration) Draw(int sourceCount, int referenceCount, int calibrationCount, ulong seed)
    {
        var order = Order(sourceCount, referenceCount, calibrationCount, seed);
        return (order[..referenceCount], order[referenceCount..(referenceCount + calibrationCount)]);
    }

    /// <summary>
    /// The source items in neither part of <see cref="Draw"/>'s sample, in the same shuffled order: a
    /// uniform random order of the rest of the source, from the same population as the reference and
    /// disjoint from it. Clean (and to-be-attacked) traffic that is to differ from the reference by
    /// chance alone is taken from its start.
    /// </summary>
    public static int[] Remainder(int sourceCount, int referenceCount, int calibrationCount, ulong seed) =>
        Order(sourceCount, referenceCount, calibrationCount, seed)[(referenceCount + calibrationCount)..];

    private static int[] Order(int sourceCount, int referenceCount, int calibrationCount, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationCount, 1);
        if ((long)referenceCount + calibrationCount > sourceCount)
        {
            throw new ArgumentException($"A reference of {referenceCount} and a calibration split of {calibrationCount} need {(long)referenceCount + calibrationCount} clean items; the source has {sourceCount}.");
        }
        var order = new int[sourceCount];
        for (int i = 0; i < sourceCount; i++) order[i] = i;
        Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>The generator both the draw and the topic reservoir use for <paramref name="seed"/>.</summary>
    public static Random Random(ulong seed) => new(unchecked((int)(seed ^ (seed >> 32))) & int.MaxValue);
}
