using Streaming.Lab.Attacks;
using Streaming.UnitTests.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Lab.Attacks;

/// <summary>A fixed sample of correctly classified test images of the shared trained model.</summary>
internal static class AttackSample
{
    public const int Candidates = 120;

    /// <summary>Images and labels in the caller's dispose scope.</summary>
    public static (Tensor Images, Tensor Labels) Correct(TrainedModelFixture fixture, int candidates = Candidates)
    {
        var images = fixture.Test.ImagesTensor(0, candidates);
        var labels = fixture.Test.LabelsTensor(0, candidates);
        var correct = AttackEvaluator.CorrectlyClassified(fixture.Model, images, labels);
        return (images.index_select(0, correct), labels.index_select(0, correct));
    }
}
