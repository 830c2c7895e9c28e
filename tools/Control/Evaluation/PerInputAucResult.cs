namespace Streaming.Control.Evaluation;

/// <summary>ROC AUC of per-input scores for one attack: attacked inputs vs held-out clean inputs, per layer (k-NN distance) and fused (−p).</summary>
public sealed record PerInputAucResult(string Attack, double Strength, IReadOnlyDictionary<string, double> LayerAuc, double FusedAuc, double AttackedFlaggedRate, double CleanFlaggedRate);
