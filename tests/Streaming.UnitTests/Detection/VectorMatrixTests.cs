using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

/// <summary>Vectors laid out row-major into a slice of a larger array, with the same checks as a new array.</summary>
public sealed class VectorMatrixTests
{
    [Fact]
    public void FlattenInto_Slice_RowsInOrderAndTheRestUntouched()
    {
        var destination = Enumerable.Repeat(-1f, 10).ToArray();

        VectorMatrix.FlattenInto([[1f, 2f], [3f, 4f], [5f, 6f]], 2, "window", destination.AsSpan(2, 6));

        Assert.Equal([-1f, -1f, 1f, 2f, 3f, 4f, 5f, 6f, -1f, -1f], destination);
    }

    [Fact]
    public void FlattenInto_FewerVectorsThanTheSlice_RefusedNotLeftZero()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorMatrix.FlattenInto([[1f, 2f]], 2, "window", new float[4]));

        Assert.Contains("1 vectors of 2 do not fill 4 values", error.Message);
    }

    [Fact]
    public void FlattenInto_UnusableValue_RefusedNamingVectorAndComponent()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorMatrix.FlattenInto([[1f, 2f], [3f, float.NaN]], 2, "window", new float[4]));

        Assert.Contains("The window: vector 1 holds an unusable value (non-finite NaN) at component 1", error.Message);
    }
}
