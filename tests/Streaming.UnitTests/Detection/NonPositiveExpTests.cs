using System.Numerics;
using System.Runtime.Intrinsics;
using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

/// <summary>The kernel's e^x in both register widths: near the exact value, exact at the range's edges, and the same bits in either width.</summary>
public sealed class NonPositiveExpTests
{
    [Fact]
    public void Of_ArgumentsDownToFloat32sNormalRange_WithinTwoTenMillionthsOfTheExactValue()
    {
        var random = new Random(3);
        var arguments = new float[Vector512<float>.Count];
        double worst = 0;
        for (int round = 0; round < 50_000; round++)
        {
            for (int k = 0; k < arguments.Length; k++)
            {
                // Every decade of the range, small arguments (the kernel's usual ones) as often as large.
                arguments[k] = -(float)Math.Pow(10, random.NextDouble() * 8 - 6);
                arguments[k] = Math.Max(arguments[k], NonPositiveExp.Smallest);
            }
            var values = Wide(arguments);
            for (int k = 0; k < arguments.Length; k++)
            {
                double exact = Math.Exp(arguments[k]);
                worst = Math.Max(worst, Math.Abs(values[k] - exact) / exact);
            }
            // The machine's width computes each lane with the same instructions: the same bits.
            Assert.Equal(values.Take(Vector<float>.Count).Select(BitConverter.SingleToInt32Bits), Machine(arguments).Select(BitConverter.SingleToInt32Bits));
        }

        Assert.InRange(worst, 0, 2e-7);
    }

    [Fact]
    public void Of_NegativeZero_ExactlyOne()
    {
        // A zero distance times −γ is −0: the window's diagonal, taken off as exactly one per bandwidth.
        Assert.Equal(1f, Machine(0f * -0.5f)[0]);
        Assert.Equal(1f, Wide(0f * -0.5f)[0]);
    }

    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(-87.34f, 0f)]
    [InlineData(-1000f, 0f)]
    [InlineData(float.NegativeInfinity, 0f)]
    public void Of_EdgesOfTheRange_ExactValues(float argument, float expected)
    {
        Assert.Equal(expected, Machine(argument)[0]);
        Assert.Equal(expected, Wide(argument)[0]);
    }

    private static float[] Machine(params float[] arguments)
    {
        var lanes = new float[Vector<float>.Count];
        arguments.AsSpan(0, Math.Min(arguments.Length, lanes.Length)).CopyTo(lanes);
        var values = NonPositiveExp.Of<MachineLanes, Vector<float>>(new Vector<float>(lanes));
        return [.. Enumerable.Range(0, lanes.Length).Select(k => values[k])];
    }

    private static float[] Wide(params float[] arguments)
    {
        var lanes = new float[Vector512<float>.Count];
        arguments.AsSpan(0, Math.Min(arguments.Length, lanes.Length)).CopyTo(lanes);
        var values = NonPositiveExp.Of<Vector512Lanes, Vector512<float>>(Vector512.Create(lanes));
        return [.. Enumerable.Range(0, lanes.Length).Select(k => values[k])];
    }
}
