using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// A layer reference uploaded once to a device and reused for every window: the centred
/// reference vectors, their squared norms and the reference-reference kernel block, which does
/// not change between windows and is the largest part of the joint kernel matrix.
/// </summary>
public sealed class DeviceReference : IDisposable
{
    private bool _disposed;

    private DeviceReference(LayerReference source, Device device, IReadOnlyList<double> scales, Tensor mean, Tensor centred, Tensor squaredNorms, Tensor kernel)
    {
        BandwidthScales = scales;
        Gammas = GaussianKernel.Gammas(source.Bandwidth, scales);
        Source = source;
        Device = device;
        Mean = mean;
        Centred = centred;
        SquaredNorms = squaredNorms;
        Kernel = kernel;
    }

    public LayerReference Source { get; }

    public string Layer => Source.Layer;

    public int Count => Source.Count;

    public int Dimension => Source.Dimension;

    public Device Device { get; }

    /// <summary>Multipliers of the calibrated bandwidth whose kernels are summed (one: the plain Gaussian kernel).</summary>
    public IReadOnlyList<double> BandwidthScales { get; }

    internal IReadOnlyList<double> Gammas { get; }

    /// <summary>Reference mean; windows are centred by it too. The kernel is translation-invariant,
    /// and centring keeps the float32 distance expansion accurate for activations far from 0.</summary>
    internal Tensor Mean { get; }

    internal Tensor Centred { get; }

    internal Tensor SquaredNorms { get; }

    /// <summary>n × n kernel block of the reference against itself.</summary>
    internal Tensor Kernel { get; }

    /// <param name="bandwidthScales">Multipliers of the reference bandwidth (see <see cref="KernelBandwidths"/>); null: the plain kernel.</param>
    public static DeviceReference Upload(LayerReference reference, Device device, IReadOnlyList<double>? bandwidthScales = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(device);
        var scales = bandwidthScales ?? KernelBandwidths.Single;
        KernelBandwidths.Validate(scales, nameof(bandwidthScales));
        scales = [.. scales];

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var vectors = TensorTransfer.Upload(reference.Vectors, reference.Count, reference.Dimension, device);
        var mean = vectors.mean([0L]);
        var centred = vectors - mean;
        var norms = GaussianKernel.SquaredNorms(centred);
        var kernel = GaussianKernel.Matrix(centred, norms, centred, norms, GaussianKernel.Gammas(reference.Bandwidth, scales));

        // These outlive the scope: the instance owns them until Dispose.
        return new DeviceReference(
            reference,
            device,
            scales,
            mean.DetachFromDisposeScope(),
            centred.DetachFromDisposeScope(),
            norms.DetachFromDisposeScope(),
            kernel.DetachFromDisposeScope());
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Mean.Dispose();
        Centred.Dispose();
        SquaredNorms.Dispose();
        Kernel.Dispose();
    }
}
