namespace Streaming.Control.RedTeam;

/// <summary>One image to send: adversarial or clean, and which image of its pool.</summary>
public sealed record PlannedImage(bool Adversarial, int PoolIndex);
