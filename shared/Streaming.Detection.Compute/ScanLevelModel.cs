namespace Streaming.Detection.Compute;

/// <summary>
/// What <see cref="IScanLevelBackend"/> needs of a subset scanner. Background blocks are indexed by
/// g × layers + l (group g, layer l).
/// </summary>
/// <param name="Dimensions">Nodes per layer, in order.</param>
/// <param name="Groups">Background groups (1 unless the scan is class-conditional).</param>
/// <param name="Counts">Per block its background size n.</param>
/// <param name="SortedColumns">Per block the node columns, column-major: node j's n ascending values at [j·n, (j+1)·n).</param>
/// <param name="LevelOfCount">Per block the level of the p-value of each tail count k = 0..n.</param>
/// <param name="TwoSided">Whether the tail count is the smaller of the upper and lower counts (the upper count otherwise).</param>
public sealed record ScanLevelModel(int[] Dimensions, int Groups, int[] Counts, float[][] SortedColumns, byte[][] LevelOfCount, bool TwoSided)
{
    public int Nodes => Dimensions.Sum();
}
