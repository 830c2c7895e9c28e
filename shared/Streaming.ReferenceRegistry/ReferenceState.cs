namespace Streaming.ReferenceRegistry;

/// <summary>Life of a published reference: published as a candidate, activated (at most one per model and version), retired.</summary>
public enum ReferenceState
{
    Candidate,
    Active,
    Retired,
}
