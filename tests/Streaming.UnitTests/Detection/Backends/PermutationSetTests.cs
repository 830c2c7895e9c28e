using Streaming.Detection;
using Streaming.Detection.Compute;
using TorchSharp;

namespace Streaming.UnitTests.Detection.Backends;

public sealed class PermutationSetTests
{
    [Fact]
    public void Random_SameSeed_SameSplitsOfDistinctPositions()
    {
        var first = PermutationSet.Random(50, 10, 30, seed: 9);
        var again = PermutationSet.Random(50, 10, 30, seed: 9);
        var other = PermutationSet.Random(50, 10, 30, seed: 10);

        Assert.Equal(first.Chosen.ToArray(), again.Chosen.ToArray());
        Assert.NotEqual(first.Chosen.ToArray(), other.Chosen.ToArray());
        for (int p = 0; p < 30; p++)
        {
            var row = first.Chosen.Slice(p * 10, 10).ToArray();
            Assert.Equal(10, row.Distinct().Count());
            Assert.All(row, position => Assert.InRange(position, 0, 59));
        }
    }

    [Fact]
    public void FromChosen_RepeatedPosition_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => PermutationSet.FromChosen(5, 2, 1, [3L, 3L]));

        Assert.Contains("distinct", ex.Message);
    }

    [Fact]
    public void RandomSet_GroupRows_EqualTheTorchSharpGroups()
    {
        // The index sets the window tester hands a backend are exactly the splits the TorchSharp
        // path has always drawn from the same seed.
        using var scope = torch.NewDisposeScope();
        var expected = PermutationStatistics.ObservedThenRandom(40, 8, 25, seed: 5, torch.CPU);
        var set = PermutationStatistics.RandomSet(40, 8, 25, seed: 5, torch.CPU);

        var actual = PermutationStatistics.Groups(set, torch.CPU);

        Assert.True(expected.eq(actual).all().item<bool>());
    }
}
