namespace Streaming.Detection.Scoring;

public sealed record PerInputScorerOptions
{
    /// <summary>k of the k-nearest-neighbour distance and of the neighbours whose labels are compared with the prediction.</summary>
    public int Neighbours { get; init; } = 10;

    public NonconformityMeasure Measure { get; init; } = NonconformityMeasure.KnnDistance;

    /// <summary>An input carries adversarial evidence when its label-disagreement p-value is at most this.</summary>
    public double AdversarialLevel { get; init; } = 0.01;

    public void Validate()
    {
        if (Neighbours < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Neighbours), Neighbours, "At least one neighbour is needed.");
        }
        if (!Enum.IsDefined(Measure))
        {
            throw new ArgumentOutOfRangeException(nameof(Measure), Measure, "Unknown nonconformity measure.");
        }
        if (!(AdversarialLevel > 0 && AdversarialLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AdversarialLevel), AdversarialLevel, "The adversarial level must lie in (0, 1).");
        }
    }
}
