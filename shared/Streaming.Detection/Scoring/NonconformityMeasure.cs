namespace Streaming.Detection.Scoring;

/// <summary>The per-layer nonconformity score of one input against the clean reference.</summary>
public enum NonconformityMeasure
{
    /// <summary>Euclidean distance to the k-th nearest reference vector of the layer.</summary>
    KnnDistance,

    /// <summary>Squared Mahalanobis distance to the reference mean of the predicted class (shared, shrunk covariance).</summary>
    ClassMahalanobis,
}
