using Streaming.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Detection;

/// <summary>Each held-scalar operation gives the bits of the operator it replaces (the same scalar type, the same libtorch call).</summary>
public sealed class ScalarArithmeticTests
{
    private static Tensor Values()
    {
        var generator = new Generator(11);
        return torch.randn([257], ScalarType.Float32, generator: generator) * 3;
    }

    public static TheoryData<string> Operations => ["times int", "times double", "times in place", "over int", "over double", "plus int", "plus double", "minus double", "at least", "at least in place"];

    [Theory]
    [MemberData(nameof(Operations))]
    public void Operation_SameBitsAsTheOperator(string operation)
    {
        using var scope = torch.NewDisposeScope();
        const double odd = -0.3183098861837907;
        var (actual, expected) = operation switch
        {
            "times int" => (Values().Times(3), 3 * Values()),
            "times double" => (Values().Times(odd), Values() * odd),
            "times in place" => (Values().TimesInPlace(odd), Values().mul_(odd)),
            "over int" => (Values().Over(999_000), Values() / 999_000),
            "over double" => (Values().Over(99_900.0), Values() / 99_900.0),
            "plus int" => (Values().Plus(1), Values() + 1),
            "plus double" => (Values().Plus(odd), odd + Values()),
            "minus double" => (Values().Minus(odd), Values() - odd),
            "at least" => (Values().AtLeast(0), Values().clamp_min(0)),
            "at least in place" => (Values().AtLeastInPlace(0), Values().clamp_min_(0)),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits), actual.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(Values().data<float>().ToArray(), actual.data<float>().ToArray());   // the operation did something
    }
}
