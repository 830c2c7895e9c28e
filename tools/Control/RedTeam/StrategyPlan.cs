namespace Streaming.Control.RedTeam;

/// <summary>The requests of one strategy, in sending order, and the streams they use.</summary>
public sealed record StrategyPlan(IReadOnlyList<PlannedRequest> Requests)
{
    public int Images => Requests.Sum(r => r.Images.Count);

    public int AdversarialImages => Requests.Sum(r => r.Images.Count(i => i.Adversarial));

    /// <summary>Events per stream id.</summary>
    public IReadOnlyDictionary<string, int> EventsPerStream =>
        Requests.GroupBy(r => r.Stream).ToDictionary(g => g.Key, g => g.Sum(r => r.Images.Count), StringComparer.Ordinal);

    /// <summary>Count windows the per-stream windows of this plan complete.</summary>
    public int ExpectedStreamWindows(TrafficShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return EventsPerStream.Values.Sum(n => shape.ExpectedWindows(n));
    }
}
