namespace Streaming.Control.RedTeam;

/// <summary>How a red-team strategy hides its adversarial inputs in the traffic.</summary>
public enum StrategyFamily
{
    /// <summary>No adversarial input: the false-alarm baseline of the same run.</summary>
    Clean,

    /// <summary>A share of one stream's traffic is adversarial, at seeded random positions.</summary>
    Mix,

    /// <summary>Every adversarial input on a new stream id, inside normal multi-stream clean traffic.</summary>
    Spread,

    /// <summary>One adversarial input per N clean ones on one stream, over a long run.</summary>
    Trickle,
}
