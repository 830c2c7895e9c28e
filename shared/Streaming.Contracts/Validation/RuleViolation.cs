namespace Streaming.Contracts.Validation;

/// <summary>One broken rule: the field (as clients name it, e.g. <c>events[3].header.streamId</c>) and what is wrong.</summary>
public readonly record struct RuleViolation(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
