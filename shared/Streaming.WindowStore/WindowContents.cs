using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>The events of one window in arrival order.</summary>
/// <param name="WindowKey">The key that was read.</param>
/// <param name="Found">False when the window snapshot itself expired or never existed.</param>
/// <param name="Events">Events still stored, oldest first.</param>
/// <param name="MissingEventIds">Ids listed in the window whose events expired (TTL) before the read.</param>
public sealed record WindowContents(
    string WindowKey,
    bool Found,
    IReadOnlyList<ActivationEvent> Events,
    IReadOnlyList<string> MissingEventIds)
{
    public int MissingCount => MissingEventIds.Count;
}
