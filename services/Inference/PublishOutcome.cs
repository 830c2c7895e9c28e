namespace Streaming.Inference;

/// <summary>Whether every message of a request reached Kafka; <see cref="Error"/> says why not.</summary>
public sealed record PublishOutcome(int Published, int Total, string? Error)
{
    public bool Succeeded => Error is null;
}
