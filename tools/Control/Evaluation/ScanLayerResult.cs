namespace Streaming.Control.Evaluation;

/// <summary>ROC AUC of one autoencoder layer's scan scores for one attack: individual scans, and group scans per share.</summary>
public sealed record ScanLayerResult(string Layer, int Nodes, string Attack, double Strength, double IndividualAuc, IReadOnlyList<(double Share, double Auc)> GroupAucs);
