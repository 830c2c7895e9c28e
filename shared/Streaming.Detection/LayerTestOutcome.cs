namespace Streaming.Detection;

/// <param name="Rejected">Whether this layer counts as shifted under the window's correction (see <see cref="MultipleTesting.RejectedLayers"/>).</param>
/// <param name="RejectionShare">LADIS detection rate in [0, 1] when <see cref="WindowTesterOptions.DetectionRate"/> is set, else null.</param>
public sealed record LayerTestOutcome(string Layer, double Mmd2, double PValue, bool Rejected, double? RejectionShare = null);
