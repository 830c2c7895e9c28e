using Streaming.Ml.Capture;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;

namespace Streaming.UnitTests.Ml;

[Collection(MlCollection.Name)]
public sealed class ModelRunnerTests(TrainedModelFixture fixture) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "streaming-ml-runner-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Run_Batch_ReturnsOrderedLayersMatchingCapture()
    {
        using var runner = LoadRunner();
        var pixels = fixture.Test.Pixels.AsSpan(0, 10 * 784).ToArray();

        var inputs = runner.Run(pixels, 10);

        using var capture = new ActivationCapture(fixture.Model, LayerCaptureSpec.SmallCnnDefaults);
        using var images = fixture.Test.ImagesTensor(0, 10);
        var expected = capture.Run(images);
        Assert.Equal(10, inputs.Count);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(["conv1", "conv2", "fc1", "logits"], inputs[i].Layers.Keys);
            Assert.Equal(expected.PredictedClasses[i], inputs[i].PredictedClass);
            Assert.Equal(expected.Confidences[i], inputs[i].Confidence);
            Assert.Equal(expected.Layer("fc1").Vector(i), inputs[i].Layers["fc1"]);
        }
    }

    [Fact]
    public void Run_ConcurrentCallers_GetSameResultsAsSequential()
    {
        using var runner = LoadRunner();
        var batches = Enumerable.Range(0, 8).Select(b => fixture.Test.Pixels.AsSpan(b * 4 * 784, 4 * 784).ToArray()).ToArray();
        var sequential = batches.Select(p => runner.Run(p, 4)).ToArray();

        var parallel = new IReadOnlyList<InputActivations>[batches.Length];
        Parallel.For(0, batches.Length, b => parallel[b] = runner.Run(batches[b], 4));

        for (var b = 0; b < batches.Length; b++)
        {
            Assert.Equal(sequential[b].Select(x => x.Layers["logits"]), parallel[b].Select(x => x.Layers["logits"]));
        }
    }

    [Fact]
    public void Run_WrongPixelCount_ThrowsSayingExpectedLength()
    {
        using var runner = LoadRunner();

        var ex = Assert.Throws<ArgumentException>(() => runner.Run(new float[784], 2));

        Assert.Contains("1568", ex.Message);
    }

    [Fact]
    public void Run_PixelOutsideUnitRange_Throws()
    {
        using var runner = LoadRunner();
        var pixels = new float[784];
        pixels[5] = 255f;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => runner.Run(pixels, 1));

        Assert.Contains("[0,1]", ex.Message);
    }

    [Fact]
    public void Layers_ReflectManifest()
    {
        using var runner = LoadRunner();

        Assert.Equal(fixture.Manifest.Layers.Select(l => l.VectorDim), runner.Layers.Select(l => l.VectorDim));
        Assert.Equal(fixture.Manifest.Name, runner.Manifest.Name);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private ModelRunner LoadRunner()
    {
        ModelStore.Save(_directory, fixture.Model, fixture.Manifest);
        return ModelRunner.Load(_directory);
    }
}
