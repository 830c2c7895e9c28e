namespace Streaming.Detection;

/// <summary>One layer's result for one window, before the layers are combined.</summary>
internal sealed record LayerStatistic(double Mmd2, double PValue, float[] WitnessScores, double? RejectionShare)
{
    /// <param name="row">[observed, P permutation statistics, m witness scores].</param>
    public static LayerStatistic From(ReadOnlySpan<float> row, int permutations)
    {
        float observed = row[0];
        int atLeastObserved = 0;
        for (int i = 1; i <= permutations; i++)
        {
            if (row[i] >= observed)
            {
                atLeastObserved++;
            }
        }
        return new LayerStatistic(observed, (1.0 + atLeastObserved) / (1.0 + permutations), row[(permutations + 1)..].ToArray(), null);
    }
}
