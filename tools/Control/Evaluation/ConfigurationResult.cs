namespace Streaming.Control.Evaluation;

/// <summary>One evaluated configuration: per layer (and "combined") the share of tests that rejected and the test statistics.</summary>
public sealed record ConfigurationResult(
    string Name,
    string Attack,
    double Strength,
    double Share,
    IReadOnlyDictionary<string, int> Rejections,
    int Tests,
    IReadOnlyDictionary<string, double[]> Statistics);
