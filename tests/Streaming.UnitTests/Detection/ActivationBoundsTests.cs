using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

/// <summary>The first unusable value is found wherever it lies: in a full register of values, across registers, or in the tail after them.</summary>
public sealed class ActivationBoundsTests
{
    private static readonly float[] Unusable =
        [float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1e6f) + 1), -2e6f];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(70)]
    public void FirstUnusable_OneOrTwoBadValuesAnywhere_TheFirstIndex(int length)
    {
        var random = new Random(length);
        for (int position = 0; position < length; position++)
        {
            foreach (float bad in Unusable)
            {
                // Usable values up to the bound itself, both signs.
                var values = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * 1e6)).ToArray();
                values[random.Next(length)] = random.Next(2) == 0 ? 1e6f : -1e6f;
                values[position] = bad;
                int later = position + 1 + random.Next(length);
                if (later < length)
                {
                    values[later] = float.NaN;
                }

                Assert.Equal(position, ActivationBounds.FirstUnusable(values));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(101)]
    public void FirstUnusable_EveryValueWithinTheBound_None(int length)
    {
        var values = Enumerable.Range(0, length).Select(i => i % 3 == 0 ? 1e6f : i % 3 == 1 ? -1e6f : i * 0.5f).ToArray();

        Assert.Equal(-1, ActivationBounds.FirstUnusable(values));
    }
}
