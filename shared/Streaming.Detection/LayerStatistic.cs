namespace Streaming.Detection;

/// <summary>One layer's result for one window, before the layers are combined.</summary>
/// <param name="Problem">Why the statistic is not usable (it was not finite), else null; such a layer has p = 1.</param>
internal sealed record LayerStatistic(double Mmd2, double PValue, float[] WitnessScores, double? RejectionShare, string? Problem = null)
{
    /// <param name="row">[observed, P permutation statistics, m witness scores].</param>
    public static LayerStatistic From(ReadOnlySpan<float> row, int permutations) =>
        From(row[0], row[1..(permutations + 1)], row[(permutations + 1)..]);

    /// <param name="nullStatistics">Statistics of the null (permutations, or precomputed clean windows); p = (1 + #not below) / (1 + count).</param>
    public static LayerStatistic From(float observed, ReadOnlySpan<float> nullStatistics, ReadOnlySpan<float> witnessScores)
    {
        double pValue = PermutationPValue.From(observed, nullStatistics);
        float[] witness = witnessScores.ToArray();
        if (!float.IsFinite(observed))
        {
            return new LayerStatistic(0, pValue, witness, null, $"MMD² was {observed} (not finite); the layer counts as not shifted");
        }
        return new LayerStatistic(observed, pValue, witness, null);
    }
}
