namespace Streaming.Detection.WindowTest;

/// <summary>Why an event cannot be tested against the reference.</summary>
/// <param name="Kind">A short, fixed name for metrics: model, model_version, missing_layer, duplicate_layer, dimension or value.</param>
/// <param name="Description">What is wrong, for dead letters and logs.</param>
public sealed record EventProblem(string Kind, string Description);
