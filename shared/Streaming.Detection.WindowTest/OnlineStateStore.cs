namespace Streaming.Detection.WindowTest;

/// <summary>Where the online mode keeps each stream's detector state (Detector:Online:State).</summary>
public enum OnlineStateStore
{
    /// <summary>In Redis: a stream's state moves with its partition and survives a restart.</summary>
    Redis,

    /// <summary>In the process only: a moved or restarted stream starts from the clean initial window.</summary>
    Memory,
}
