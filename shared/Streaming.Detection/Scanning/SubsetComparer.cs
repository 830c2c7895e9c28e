namespace Streaming.Detection.Scanning;

/// <summary>Subsets (ascending item indexes) compared by their items, for memoising the ascent's steps.</summary>
internal sealed class SubsetComparer : IEqualityComparer<int[]>
{
    public static readonly SubsetComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(int[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return hash.ToHashCode();
    }
}
