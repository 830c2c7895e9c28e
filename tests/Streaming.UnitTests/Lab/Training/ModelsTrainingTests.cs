using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.Ml.Models;
using Streaming.UnitTests.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Lab.Training;

/// <summary>The new architectures train: gradients reach the first layer, losses fall on a few hundred images.</summary>
[Collection(MlCollection.Name)]
public sealed class ModelsTrainingTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Backward_ResNetSmall_GradientsReachEveryParameter()
    {
        using var model = ResNetSmall.Create(1);
        model.train();
        using var scope = NewDisposeScope();
        var images = fixture.Train.ImagesTensor(0, 16);
        var labels = fixture.Train.LabelsTensor(0, 16);

        nn.functional.cross_entropy(model.call(images), labels).backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            Assert.True(grad!.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Fact]
    public void Train_ResNetSmallOnFewHundredImages_TrainingLossFalls()
    {
        var small = MnistDataset.Load(fixture.DataDirectory, MnistSplit.Train, 320);
        using var model = ResNetSmall.Create(4);
        var losses = new List<TrainingProgress>();

        ModelTrainer.Train(model, small, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 4 }, new InlineProgress(losses.Add));

        var first = losses.Where(p => p.Epoch == 1).Average(p => p.Loss);
        var last = losses.Where(p => p.Epoch == 3).Average(p => p.Loss);
        Assert.True(last < first * 0.8, $"mean loss {first:0.000} in epoch 1, {last:0.000} in epoch 3");
    }

    [Fact]
    public void Train_AutoencoderWithReconstructionTask_LowersReconstructionError()
    {
        var small = MnistDataset.Load(fixture.DataDirectory, MnistSplit.Train, 256);
        using var model = ConvAutoencoder.Create(5);
        var before = ModelTrainer.EvaluateReconstruction(model, small);

        ModelTrainer.Train(model, small, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 5, Task = ModelTask.Reconstruction });

        Assert.True(ModelTrainer.EvaluateReconstruction(model, small) < before * 0.8);
    }
}

/// <summary>Reports synchronously on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
