namespace Streaming.Contracts;

/// <summary>The contract version producers write and consumers accept.</summary>
public static class SchemaVersions
{
    /// <summary>Version written into every event's header by this code.</summary>
    public const uint Current = 1;

    public static bool IsSupported(uint version) => version == Current;
}
