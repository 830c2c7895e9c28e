using System.Numerics;
using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public sealed class NonPositiveExpTests
{
    [Fact]
    public void Of_ArgumentsDownToFloat32sNormalRange_WithinTwoTenMillionthsOfTheExactValue()
    {
        var random = new Random(3);
        var arguments = new float[Vector<float>.Count];
        double worst = 0;
        for (int round = 0; round < 50_000; round++)
        {
            for (int k = 0; k < arguments.Length; k++)
            {
                // Every decade of the range, small arguments (the kernel's usual ones) as often as large.
                arguments[k] = -(float)Math.Pow(10, random.NextDouble() * 8 - 6);
                arguments[k] = Math.Max(arguments[k], NonPositiveExp.Smallest);
            }
            var values = NonPositiveExp.Of(new Vector<float>(arguments));
            for (int k = 0; k < arguments.Length; k++)
            {
                double exact = Math.Exp(arguments[k]);
                worst = Math.Max(worst, Math.Abs(values[k] - exact) / exact);
            }
        }

        Assert.InRange(worst, 0, 2e-7);
    }

    [Fact]
    public void Of_NegativeZero_ExactlyOne()
    {
        // A zero distance times −γ is −0: the window's diagonal, taken off as exactly one per bandwidth.
        var value = NonPositiveExp.Of(new Vector<float>(0f * -0.5f));

        Assert.Equal(1f, value[0]);
    }

    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(-87.34f, 0f)]
    [InlineData(-1000f, 0f)]
    [InlineData(float.NegativeInfinity, 0f)]
    public void Of_EdgesOfTheRange_ExactValues(float argument, float expected)
    {
        var value = NonPositiveExp.Of(new Vector<float>(argument));

        Assert.Equal(expected, value[0]);
    }
}
