using Streaming.Detection.Decision;

namespace Streaming.Detection.WindowTest;

/// <summary>What a tested window's MMD test, identical-window reuse and evidence are computed from (<see cref="ReferenceTester"/>), built once per call.</summary>
/// <param name="Layers">The window's vectors per reference layer, in the reference's order.</param>
/// <param name="Predicted">Per event the model's predicted class, null when unknown.</param>
/// <param name="EventKeys">Per event its key across windows (null for an event without an id).</param>
/// <param name="Keys">The window's key for identical-window reuse; null when reuse is off or an event has no id.</param>
internal sealed record EvidenceInputs(float[][][] Layers, int?[] Predicted, EventKey?[] EventKeys, EventKey[]? Keys);
