using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using Streaming.Lab.Traffic;
using Streaming.UnitTests.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Lab.Traffic;

[Collection(MlCollection.Name)]
public sealed class TrafficGeneratorTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Generate_Mix_CopiesCleanImagesAndAttacksTheRest()
    {
        var plan = new TrafficPlan(60, 0.5, AttackSpec.Parse("fgsm", 0.3), 2);

        var batch = TrafficGenerator.Generate(fixture.Model, fixture.Test, plan);

        Assert.Equal(60 * MnistDataset.PixelsPerImage, batch.Pixels.Length);
        foreach (var item in batch.Items)
        {
            var sent = batch.Pixels.AsSpan(item.Position * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage);
            var original = fixture.Test.Pixels.AsSpan(item.SourceIndex * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage);
            var linf = 0f;
            for (var p = 0; p < sent.Length; p++)
                linf = Math.Max(linf, Math.Abs(sent[p] - original[p]));
            Assert.InRange(linf, item.IsClean ? 0f : 0.299f, item.IsClean ? 0f : 0.300001f);
        }
    }

    [Fact]
    public void Generate_AttackedImages_AreMostlyMisclassified()
    {
        var plan = new TrafficPlan(80, 0.25, AttackSpec.Parse("pgd", 0.3) with { Steps = 5 }, 3);

        var batch = TrafficGenerator.Generate(fixture.Model, fixture.Test, plan);

        using var scope = NewDisposeScope();
        var images = tensor(batch.Pixels, [batch.Items.Count, 1, 28, 28]);
        var predicted = AttackEvaluator.Predict(fixture.Model, images).data<long>().ToArray();
        var attacked = batch.Items.Where(i => !i.IsClean).ToArray();
        var clean = batch.Items.Where(i => i.IsClean).ToArray();
        Assert.InRange(attacked.Count(i => predicted[i.Position] != i.Label) / (double)attacked.Length, 0.8, 1.0);
        Assert.InRange(clean.Count(i => predicted[i.Position] == i.Label) / (double)clean.Length, 0.8, 1.0);
    }
}
