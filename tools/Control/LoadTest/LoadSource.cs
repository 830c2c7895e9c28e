namespace Streaming.Control.LoadTest;

/// <summary>What the load test offers the pipeline.</summary>
public enum LoadSource
{
    /// <summary>Images to the inference service's POST /v1/predict: the whole path, the model included.</summary>
    Images,

    /// <summary>Activation events of recorded inputs: the streaming path (Windowing, Detector, Alerting) without the model.</summary>
    Events,
}
