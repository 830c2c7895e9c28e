namespace Streaming.Control.Evaluation;

/// <summary>
/// One configuration of the window-decision sweep: how many of its windows each family alone, and
/// the combined decision, rejected, and how many alerts were labelled adversarial; and, for the same
/// windows, how many the MMD tests rejected against the precomputed null and how many MMD decisions
/// the two nulls share.
/// </summary>
public sealed record DecisionResult(
    string Setting, string Name, double Share, int Windows,
    int Combined, int Mmd, int Scan, int Inputs, int Adversarial,
    int MmdPrecomputed = 0, int MmdAgreement = 0);
