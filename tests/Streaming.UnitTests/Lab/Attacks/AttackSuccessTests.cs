using Streaming.Lab.Attacks;
using Streaming.UnitTests.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Lab.Attacks;

/// <summary>
/// Success rates on a fixed sample of correctly classified images, with the bounds set around what
/// <c>control attack</c> reports for the same kind of model (small CNN, briefly trained).
/// </summary>
[Collection(MlCollection.Name)]
public sealed class AttackSuccessTests(TrainedModelFixture fixture)
{
    [Theory]
    [InlineData("fgsm", 0.3, 0.6, 1.0)]
    [InlineData("bim", 0.3, 0.95, 1.0)]
    [InlineData("pgd", 0.3, 0.95, 1.0)]
    [InlineData("deepfool", 0.0, 0.95, 1.0)]
    [InlineData("negation", 0.0, 0.5, 1.0)]
    [InlineData("noise", 0.3, 0.0, 0.2)]
    public void Run_Eps_SucceedsAtTheReportedRate(string name, double epsilon, double min, double max)
    {
        using var scope = NewDisposeScope();
        // DeepFool takes one backward pass per class and iteration: a smaller sample keeps it fast.
        var (images, labels) = AttackSample.Correct(fixture, name == "deepfool" ? 50 : AttackSample.Candidates);

        var (_, outcome) = AttackEvaluator.Run(AttackFactory.Create(name, epsilon), fixture.Model, images, labels);

        Assert.InRange(outcome.SuccessRate, min, max);
    }

    [Theory]
    [InlineData("fgsm-targeted", 0.3, 0.15)]
    [InlineData("pgd-targeted", 0.3, 0.6)]
    public void Run_Targeted_HitsTheTargetMoreOftenThanChance(string name, double epsilon, double min)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = AttackSample.Correct(fixture);

        var (adversarial, outcome) = AttackEvaluator.Run(AttackFactory.Create(name, epsilon), fixture.Model, images, labels);

        // Chance is 1/10; the default target is label + 1.
        Assert.InRange(outcome.SuccessRate, min, 1.0);
        var hits = AttackEvaluator.Predict(fixture.Model, adversarial).eq((labels + 1).remainder(10)).to(float64).mean().item<double>();
        Assert.Equal(outcome.SuccessRate, hits, 6);
    }

    [Fact]
    public void Run_FixedTargetClass_MovesImagesIntoThatClass()
    {
        using var scope = NewDisposeScope();
        var (images, labels) = AttackSample.Correct(fixture);
        var spec = AttackSpec.Parse("pgd-targeted", 0.3) with { TargetClass = 3 };

        var (adversarial, outcome) = AttackEvaluator.Run(AttackFactory.Create(spec), fixture.Model, images, labels);

        var eligible = labels.ne(3);
        var hits = AttackEvaluator.Predict(fixture.Model, adversarial).eq(3).logical_and(eligible).sum().item<long>();
        Assert.Equal(outcome.SuccessRate, hits / (double)eligible.sum().item<long>(), 6);
        Assert.InRange(outcome.SuccessRate, 0.6, 1.0);
    }

    [Fact]
    public void Run_DeepFool_PerturbsLessThanFgsmAtLeastAsSuccessfully()
    {
        using var scope = NewDisposeScope();
        var (images, labels) = AttackSample.Correct(fixture, 50);

        var (_, fgsm) = AttackEvaluator.Run(AttackFactory.Create("fgsm", 0.3), fixture.Model, images, labels);
        var (_, deepFool) = AttackEvaluator.Run(AttackFactory.Create("deepfool", 0), fixture.Model, images, labels);

        Assert.True(deepFool.SuccessRate >= fgsm.SuccessRate, $"DeepFool {deepFool.SuccessRate:P1} vs FGSM {fgsm.SuccessRate:P1}");
        Assert.True(deepFool.MeanL2 < fgsm.MeanL2 / 2, $"DeepFool L2 {deepFool.MeanL2:0.00} vs FGSM L2 {fgsm.MeanL2:0.00}");
    }

    [Fact]
    public void Run_LargerEpsilon_FlipsAtLeastAsManyWithPgd()
    {
        using var scope = NewDisposeScope();
        var (images, labels) = AttackSample.Correct(fixture);

        var (_, small) = AttackEvaluator.Run(AttackFactory.Create(AttackSpec.Parse("pgd", 0.05) with { Steps = 5 }), fixture.Model, images, labels);
        var (_, large) = AttackEvaluator.Run(AttackFactory.Create(AttackSpec.Parse("pgd", 0.3) with { Steps = 5 }), fixture.Model, images, labels);

        Assert.True(large.SuccessRate > small.SuccessRate, $"eps 0.3: {large.SuccessRate:P1}, eps 0.05: {small.SuccessRate:P1}");
    }
}
