using Streaming.Lab.Attacks;
using Streaming.UnitTests.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Lab.Attacks;

/// <summary>Clipping, budgets, scoping, determinism and the definitions of the model-free attacks.</summary>
[Collection(MlCollection.Name)]
public sealed class AttackConstraintTests(TrainedModelFixture fixture)
{
    [Theory]
    [InlineData("noise", 0.1)]
    [InlineData("fgsm", 0.2)]
    [InlineData("fgsm-targeted", 0.2)]
    [InlineData("bim", 0.1)]
    [InlineData("pgd", 0.3)]
    [InlineData("pgd-targeted", 0.1)]
    public void Generate_Bounded_StaysInUnitRangeAndWithinEpsilon(string name, double epsilon)
    {
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 24);
        var labels = fixture.Test.LabelsTensor(0, 24);

        var adversarial = AttackFactory.Create(AttackSpec.Parse(name, epsilon) with { BatchSize = 10, Steps = 4 }).Generate(fixture.Model, images, labels);

        Assert.Equal(images.shape, adversarial.shape);
        Assert.False(adversarial.requires_grad);
        Assert.True(adversarial.min().item<float>() >= 0f);
        Assert.True(adversarial.max().item<float>() <= 1f);
        Assert.InRange((adversarial - images).abs().max().item<float>(), 1e-3, epsilon + 1e-6);
    }

    [Fact]
    public void Generate_DeepFool_StaysInUnitRange()
    {
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 20);

        var adversarial = AttackFactory.Create(AttackSpec.Parse("deepfool", 0) with { MaxIterations = 10 }).Generate(fixture.Model, images, fixture.Test.LabelsTensor(0, 20));

        Assert.True(adversarial.min().item<float>() >= 0f && adversarial.max().item<float>() <= 1f);
    }

    [Fact]
    public void CrossEntropy_GradientFlowsToTheInputOnly()
    {
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 8);

        // The trainer leaves .grad fields behind; the attack gradient must not change them.
        var before = fixture.Model.parameters().Select(p => p.grad?.clone()).ToArray();

        var gradient = AttackGradients.CrossEntropy(fixture.Model, images, fixture.Test.LabelsTensor(0, 8));

        Assert.Equal(images.shape, gradient.shape);
        Assert.True(gradient.abs().sum().item<float>() > 0f);
        // Every image gets its own non-zero gradient.
        Assert.True(gradient.flatten(1).abs().sum(1).gt(0).all().item<bool>());
        var after = fixture.Model.parameters().Select(p => p.grad).ToArray();
        for (var i = 0; i < before.Length; i++)
            Assert.True(before[i] is null ? after[i] is null : after[i] is not null && before[i]!.eq(after[i]!).all().item<bool>(), $"parameter {i} gradient changed");
    }

    [Fact]
    public void Generate_Negation_IsOneMinusTheImage()
    {
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 10);

        var negated = AttackFactory.Create("negation", 0).Generate(fixture.Model, images, fixture.Test.LabelsTensor(0, 10));

        Assert.True(negated.allclose(1 - images));
    }

    [Fact]
    public void Generate_Noise_IsUniformWithinEpsilonAndSeeded()
    {
        using var scope = NewDisposeScope();
        // A flat grey image: no clipping, so the noise is seen as drawn.
        var grey = full(new long[] { 20, 1, 28, 28 }, 0.5f);
        var labels = zeros(20, dtype: int64);
        var spec = AttackSpec.Parse("noise", 0.2) with { Seed = 5 };

        var first = AttackFactory.Create(spec).Generate(fixture.Model, grey, labels) - grey;
        var again = AttackFactory.Create(spec).Generate(fixture.Model, grey, labels) - grey;
        var other = AttackFactory.Create(spec with { Seed = 6 }).Generate(fixture.Model, grey, labels) - grey;

        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(other).all().item<bool>());
        Assert.InRange(first.mean().item<float>(), -0.01f, 0.01f);
        // Uniform on [-0.2, 0.2]: mean |noise| is 0.1.
        Assert.InRange(first.abs().mean().item<float>(), 0.095f, 0.105f);
    }

    [Fact]
    public void Generate_Pgd_SameSeedSameImages()
    {
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 10);
        var labels = fixture.Test.LabelsTensor(0, 10);

        var first = AttackFactory.Create(AttackSpec.Parse("pgd", 0.2) with { Steps = 3 }).Generate(fixture.Model, images, labels);
        var again = AttackFactory.Create(AttackSpec.Parse("pgd", 0.2) with { Steps = 3 }).Generate(fixture.Model, images, labels);

        Assert.True(first.eq(again).all().item<bool>());
    }

    [Fact]
    public void Generate_LeavesOnlyTheResultAliveAndTheModelsModeAsItWas()
    {
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 16);
        var labels = fixture.Test.LabelsTensor(0, 16);
        var before = scope.DisposablesCount;
        fixture.Model.train();
        try
        {
            AttackFactory.Create(AttackSpec.Parse("pgd", 0.1) with { Steps = 2, BatchSize = 10 }).Generate(fixture.Model, images, labels);
            AttackFactory.Create(AttackSpec.Parse("deepfool", 0) with { MaxIterations = 3, BatchSize = 10 }).Generate(fixture.Model, images, labels);

            Assert.Equal(before + 2, scope.DisposablesCount);
            Assert.True(fixture.Model.training);
        }
        finally
        {
            fixture.Model.eval();
        }
    }

    [Fact]
    public void Parse_UnknownName_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => AttackSpec.Parse("carlini", 0.1));

        Assert.Contains("pgd-targeted", ex.Message);
    }

    [Theory]
    [InlineData("fgsm-targeted", AttackKind.Fgsm, true, false)]
    [InlineData("pgd", AttackKind.Pgd, false, true)]
    [InlineData("BIM", AttackKind.Bim, false, false)]
    public void Parse_KnownName_RoundTrips(string name, AttackKind kind, bool targeted, bool randomStart)
    {
        var spec = AttackSpec.Parse(name, 0.1);

        Assert.Equal((kind, targeted, randomStart), (spec.Kind, spec.Targeted, spec.RandomStart));
        Assert.Equal(name.ToLowerInvariant(), spec.Name);
    }

    [Fact]
    public void Create_EpsilonAboveOne_SaysTheRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AttackFactory.Create("fgsm", 1.5));

        Assert.Contains("[0, 1]", ex.Message);
    }

    [Fact]
    public void Generate_MismatchedLabels_Throws()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(
            () => AttackFactory.Create("bim", 0.1).Generate(fixture.Model, fixture.Test.ImagesTensor(0, 4), fixture.Test.LabelsTensor(0, 3)));

        Assert.Contains("4", ex.Message);
    }
}
