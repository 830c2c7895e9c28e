namespace Streaming.Detection;

/// <param name="Rejected">Whether this layer counts as shifted under the window's correction (see <see cref="MultipleTesting.RejectedLayers"/>).</param>
/// <param name="RejectionShare">LADIS detection rate in [0, 1] when <see cref="WindowTesterOptions.DetectionRate"/> is set, else null.</param>
/// <param name="Problem">
/// Why the layer's statistics could not be used (a non-finite value was replaced: MMD² 0, p = 1, not
/// rejected), else null. A layer with a problem never causes an alert.
/// </param>
public sealed record LayerTestOutcome(string Layer, double Mmd2, double PValue, bool Rejected, double? RejectionShare = null, string? Problem = null);
