using Streaming.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Ml.Models;

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
    public void Train_ResNetSmallOnFewHundredImages_BeatsChance()
    {
        var small = MnistDataset.Load(fixture.DataDirectory, MnistSplit.Train, 320);
        using var model = ResNetSmall.Create(4);

        ModelTrainer.Train(model, small, new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = 4 });

        Assert.InRange(ModelTrainer.Evaluate(model, fixture.Test), 0.3, 1.0);
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
