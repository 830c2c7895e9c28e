namespace Streaming.Ml.Serving;

/// <summary>One input's prediction and its reduced activation vector per layer (in capture-spec order).</summary>
public sealed record InputActivations(int PredictedClass, float Confidence, IReadOnlyDictionary<string, float[]> Layers);
