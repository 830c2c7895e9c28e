namespace Streaming.Control.RedTeam;

/// <summary>One attack's generated images in the report: how many and how often they flip the model.</summary>
public sealed record PoolSummary(string Attack, double? Epsilon, int Images, double SuccessRate);
