namespace Streaming.Detection;

/// <param name="Rejected">Whether this layer counts as shifted under the window's correction (see <see cref="MultipleTesting.RejectedLayers"/>).</param>
public sealed record LayerTestOutcome(string Layer, double Mmd2, double PValue, bool Rejected);
