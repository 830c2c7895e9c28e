namespace Streaming.Control.LoadTest;

/// <summary>How the streaming load test delivers its activation events.</summary>
public enum EventTransport
{
    /// <summary>Produced straight to the activations topic.</summary>
    Kafka,

    /// <summary>Posted to the inference service's POST /v1/activations, which validates and produces them.</summary>
    Http,
}
