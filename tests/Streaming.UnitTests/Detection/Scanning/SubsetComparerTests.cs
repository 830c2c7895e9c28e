using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

public sealed class SubsetComparerTests
{
    [Fact]
    public void Equals_SameItemsInOtherArrays_EqualWithTheSameHash()
    {
        int[] a = [1, 4, 9], b = [1, 4, 9];

        Assert.True(SubsetComparer.Instance.Equals(a, b));
        Assert.Equal(SubsetComparer.Instance.GetHashCode(a), SubsetComparer.Instance.GetHashCode(b));
    }

    [Theory]
    [InlineData(new[] { 1, 4, 9 }, new[] { 1, 4, 8 })]
    [InlineData(new[] { 1, 4, 9 }, new[] { 1, 4 })]
    [InlineData(new[] { 0 }, new int[0])]
    public void Equals_OtherItems_NotEqual(int[] a, int[] b)
    {
        Assert.False(SubsetComparer.Instance.Equals(a, b));
        Assert.False(SubsetComparer.Instance.Equals(b, a));
    }

    [Fact]
    public void Dictionary_KeyedBySubsets_FindsAnEqualSubsetNotTheSameArray()
    {
        var known = new Dictionary<int[], string>(SubsetComparer.Instance) { [[2, 3]] = "first", [[2, 3, 5]] = "second" };

        Assert.Equal("first", known[[2, 3]]);
        Assert.Equal("second", known[[2, 3, 5]]);
        Assert.False(known.ContainsKey([3]));
    }
}
