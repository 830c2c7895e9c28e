using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// Two-sample test of a window against a device-resident reference: unbiased MMD² with a Gaussian
/// kernel and a permutation p-value. All permutations are evaluated together as one (P+1)×N by N×N
/// matmul on the joint kernel matrix; there is no loop over permutations.
/// Stateless apart from its options, so one instance can serve concurrent callers.
/// </summary>
public sealed class MmdPermutationTest
{
    public MmdPermutationTest(MmdTestOptions? options = null)
    {
        Options = options ?? new MmdTestOptions();
        Options.Validate();
    }

    public MmdTestOptions Options { get; }

    /// <summary>Uploads a reference to the configured device (which must then be set).</summary>
    public DeviceReference Upload(LayerReference reference)
    {
        var device = Options.Device
            ?? throw new InvalidOperationException("MmdTestOptions.Device is not set; use DeviceReference.Upload(reference, device).");
        return DeviceReference.Upload(reference, device, Options.BandwidthScales);
    }

    /// <param name="window">m ≥ 2 vectors of the reference's dimension.</param>
    /// <param name="seed">Overrides <see cref="MmdTestOptions.Seed"/> for this call.</param>
    public MmdTestResult Run(DeviceReference reference, IReadOnlyList<float[]> window, ulong? seed = null)
    {
        float[] flat = PrepareWindow(reference, window);
        int n = reference.Count;
        int m = window.Count;
        int permutations = Options.Permutations;

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (kernel, referenceWindow, windowWindow) = JointKernel(reference, flat, m);
        var groups = PermutationStatistics.ObservedThenRandom(n, m, permutations, seed ?? Options.Seed, reference.Device);
        var statistics = PermutationStatistics.UnbiasedMmd2(kernel, groups, n, m);
        var witness = PermutationStatistics.Witness(referenceWindow, windowWindow);

        // One transfer for everything the caller needs: [observed, P permutation stats, m witness scores].
        float[] host = TensorTransfer.Download(torch.cat([statistics, witness]));

        float observed = host[0];
        double pValue = PermutationPValue.From(observed, host.AsSpan(1, permutations));
        float[] witnessScores = host.AsSpan(1 + permutations, m).ToArray();
        return new MmdTestResult(reference.Layer, observed, pValue, permutations, witnessScores);
    }

    /// <summary>
    /// Test hook: MMD² for given group assignments (true = sample plays the window; exactly m per row),
    /// over the joint sample [reference; window], through the same vectorised path as <see cref="Run"/>.
    /// </summary>
    internal float[] StatisticsFor(DeviceReference reference, IReadOnlyList<float[]> window, bool[][] windowGroups)
    {
        float[] flat = PrepareWindow(reference, window);
        int n = reference.Count;
        int m = window.Count;
        int total = n + m;
        var rows = new float[windowGroups.Length * total];
        for (int p = 0; p < windowGroups.Length; p++)
        {
            if (windowGroups[p].Length != total || windowGroups[p].Count(x => x) != m)
            {
                throw new ArgumentException($"Assignment {p} must have {total} entries of which {m} are true.", nameof(windowGroups));
            }
            for (int j = 0; j < total; j++)
            {
                rows[p * total + j] = windowGroups[p][j] ? 1f : 0f;
            }
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (kernel, _, _) = JointKernel(reference, flat, m);
        var groups = TensorTransfer.Upload(rows, windowGroups.Length, total, reference.Device);
        return TensorTransfer.Download(PermutationStatistics.UnbiasedMmd2(kernel, groups, n, m));
    }

    /// <summary>Joint N×N kernel of [reference; window], plus its reference-window and window-window blocks.</summary>
    internal static (Tensor Joint, Tensor ReferenceWindow, Tensor WindowWindow) JointKernel(DeviceReference reference, float[] window, int windowCount)
    {
        var centred = TensorTransfer.Upload(window, windowCount, reference.Dimension, reference.Device) - reference.Mean;
        var norms = GaussianKernel.SquaredNorms(centred);
        var referenceWindow = GaussianKernel.Matrix(reference.Centred, reference.SquaredNorms, centred, norms, reference.Gammas);
        var windowWindow = GaussianKernel.Matrix(centred, norms, centred, norms, reference.Gammas);
        var joint = torch.cat([
            torch.cat([reference.Kernel, referenceWindow], 1),
            torch.cat([referenceWindow.t(), windowWindow], 1)], 0);
        return (joint, referenceWindow, windowWindow);
    }

    private float[] PrepareWindow(DeviceReference reference, IReadOnlyList<float[]> window)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        reference.ThrowIfDisposed();
        if (Options.Device is { } device && !TensorTransfer.SameDevice(device, reference.Device))
        {
            throw new ArgumentException(
                $"Reference for layer '{reference.Layer}' lives on {reference.Device}, but the test is configured for {device}.", nameof(reference));
        }
        if (window.Count < 2)
        {
            throw new ArgumentException(
                $"Window for layer '{reference.Layer}' has {window.Count} vector(s); the unbiased MMD² needs at least 2.", nameof(window));
        }
        return VectorMatrix.Flatten(window, reference.Dimension, $"window vectors of layer '{reference.Layer}'", out _);
    }
}
