using Streaming.Detection.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// The window-independent share of the permutation statistics of one layer, for one window size m
/// and one seed. A group row a = [a_r; a_w] (reference positions, window positions) over the joint
/// kernel [[R, C], [Cᵀ, W]] gives aᵀKa = a_rᵀRa_r + 2a_rᵀCa_w + a_wᵀWa_w. Every window of a layer
/// uses the same permutations, so everything that involves only R (the n×n reference block, by far
/// the largest) is computed once here and reused: a window then costs O(P·n·m) instead of O(P·(n+m)²).
/// </summary>
internal sealed class ReferencePermutationPart : IDisposable
{
    private ReferencePermutationPart(int windowCount, Tensor referenceGroups, Tensor windowGroups, Tensor referenceQuadratic, Tensor referenceRowSums, Tensor referenceDiagonal)
    {
        WindowCount = windowCount;
        ReferenceGroups = referenceGroups;
        WindowGroups = windowGroups;
        ReferenceQuadratic = referenceQuadratic;
        ReferenceRowSums = referenceRowSums;
        ReferenceDiagonal = referenceDiagonal;
    }

    public int WindowCount { get; }

    /// <summary>(P+1)×n: a_r per row (row 0 is the observed split, all zeros).</summary>
    public Tensor ReferenceGroups { get; }

    /// <summary>(P+1)×m: a_w per row (row 0 all ones).</summary>
    public Tensor WindowGroups { get; }

    /// <summary>(P+1): a_rᵀ R a_r.</summary>
    public Tensor ReferenceQuadratic { get; }

    /// <summary>(P+1): a_r · R1.</summary>
    public Tensor ReferenceRowSums { get; }

    /// <summary>(P+1): a_r · diag(R).</summary>
    public Tensor ReferenceDiagonal { get; }

    public static ReferencePermutationPart Create(DeviceReference reference, PermutationSet permutations)
    {
        ArgumentNullException.ThrowIfNull(permutations);
        if (permutations.ReferenceCount != reference.Count)
        {
            throw new ArgumentException(
                $"Permutations are for {permutations.ReferenceCount} reference vectors, layer '{reference.Layer}' has {reference.Count}.", nameof(permutations));
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int n = reference.Count;
        int windowCount = permutations.WindowCount;
        var groups = PermutationStatistics.Groups(permutations, reference.Device);
        var referenceGroups = groups.narrow(1, 0, n).contiguous();
        var windowGroups = groups.narrow(1, n, windowCount).contiguous();
        var quadratic = (referenceGroups.matmul(reference.Kernel) * referenceGroups).sum(1);
        var rowSums = referenceGroups.matmul(reference.Kernel.sum(1));
        var diagonal = referenceGroups.matmul(reference.Kernel.diagonal());
        return new ReferencePermutationPart(
            windowCount,
            referenceGroups.DetachFromDisposeScope(),
            windowGroups.DetachFromDisposeScope(),
            quadratic.DetachFromDisposeScope(),
            rowSums.DetachFromDisposeScope(),
            diagonal.DetachFromDisposeScope());
    }

    public void Dispose()
    {
        ReferenceGroups.Dispose();
        WindowGroups.Dispose();
        ReferenceQuadratic.Dispose();
        ReferenceRowSums.Dispose();
        ReferenceDiagonal.Dispose();
    }
}
