namespace Streaming.Control.RedTeam;

/// <summary>
/// Adversarial images of one attack (784 floats each), and the share of the correctly classified source
/// images whose prediction they flip.
/// </summary>
public sealed record AdversarialPool(string Attack, double? Epsilon, float[] Pixels, int Count, double SuccessRate);
