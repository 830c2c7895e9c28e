namespace Streaming.Detection.Compute;

/// <summary>One layer's raw per-event scores from <see cref="IInputScoreBackend.Score"/> (arrays of one entry per event).</summary>
/// <param name="PredictedDistance">Squared Mahalanobis distance to the predicted class (the nearest when unknown or unseen); NaN without a class model.</param>
/// <param name="NearestDistance">Squared Mahalanobis distance to the nearest class; NaN without a class model.</param>
/// <param name="KthSquaredDistance">Squared Euclidean distance to the k-th nearest reference vector.</param>
/// <param name="Differing">How many of the k nearest reference vectors are labelled other than the predicted class (0 when either is unknown).</param>
public sealed record LayerEventScores(float[] PredictedDistance, float[] NearestDistance, float[] KthSquaredDistance, int[] Differing);
