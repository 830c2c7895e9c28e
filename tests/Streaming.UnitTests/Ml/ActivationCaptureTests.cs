using Streaming.Ml.Capture;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Ml;

[Collection(MlCollection.Name)]
public sealed class ActivationCaptureTests(TrainedModelFixture fixture)
{
    [Fact]
    public void DescribeLayers_DefaultSpecs_GivesSmallCnnShapesAndDims()
    {
        var layers = fixture.Manifest.Layers;

        Assert.Equal(["conv1", "conv2", "fc1", "logits"], layers.Select(l => l.Name));
        Assert.Equal([32, 26, 26], layers[0].Shape);
        Assert.Equal([64, 11, 11], layers[1].Shape);
        Assert.Equal([128], layers[2].Shape);
        Assert.Equal([10], layers[3].Shape);
        Assert.Equal([32, 64, 128, 10], layers.Select(l => l.VectorDim));
    }

    [Fact]
    public void Run_DefaultSpecs_ReturnsManifestDimsPerLayer()
    {
        using var capture = new ActivationCapture(fixture.Model, LayerCaptureSpec.SmallCnnDefaults);
        using var images = fixture.Test.ImagesTensor(0, 16);

        var result = capture.Run(images);

        Assert.Equal(16, result.Count);
        Assert.Equal(fixture.Manifest.Layers.Select(l => (l.Name, l.VectorDim)), result.Layers.Select(l => (l.Layer, l.Dim)));
        Assert.All(result.Layers, l => Assert.Equal(16 * l.Dim, l.Values.Length));
    }

    [Fact]
    public void Run_LogitsAndPrediction_MatchPlainForward()
    {
        using var capture = new ActivationCapture(fixture.Model, LayerCaptureSpec.SmallCnnDefaults);
        using var images = fixture.Test.ImagesTensor(100, 32);

        var result = capture.Run(images);
        var plain = fixture.PlainLogits(100, 32);

        Assert.Equal(plain, result.Layer("logits").Values);
        for (var i = 0; i < 32; i++)
        {
            var row = plain.AsSpan(i * 10, 10);
            var argmax = row.IndexOf(TensorPrimitivesMax(row));
            Assert.Equal(argmax, result.PredictedClasses[i]);
            var expSum = 0.0;
            foreach (var v in row)
            {
                expSum += Math.Exp(v - row[argmax]);
            }

            Assert.Equal(1.0 / expSum, result.Confidences[i], 1e-5);
        }
    }

    [Fact]
    public void Run_GlobalAveragePool_IsMeanOfFlattenedMap()
    {
        using var capture = new ActivationCapture(
            fixture.Model,
            [new LayerCaptureSpec("conv1", LayerReduction.GlobalAveragePool), new LayerCaptureSpec("conv2", LayerReduction.Flatten)]);
        using var flat = new ActivationCapture(fixture.Model, [new LayerCaptureSpec("conv1", LayerReduction.Flatten)]);
        using var images = fixture.Test.ImagesTensor(0, 2);

        var pooled = capture.Run(images).Layer("conv1");
        var full = flat.Run(images).Layer("conv1");

        Assert.Equal(32 * 26 * 26, full.Dim);
        for (var input = 0; input < 2; input++)
        {
            for (var channel = 0; channel < 32; channel++)
            {
                var map = full.VectorSpan(input).Slice(channel * 26 * 26, 26 * 26);
                var mean = 0.0;
                foreach (var v in map)
                {
                    mean += v;
                }

                Assert.Equal(mean / map.Length, pooled.VectorSpan(input)[channel], 1e-4);
            }
        }
    }

    [Fact]
    public void Run_RandomProjection_HasRequestedDimAndIsDeterministicPerSeed()
    {
        LayerCaptureSpec Spec(int seed) => new("conv2", LayerReduction.RandomProjection, ProjectionDim: 48, Seed: seed);
        using var first = new ActivationCapture(fixture.Model, [Spec(5)]);
        using var again = new ActivationCapture(fixture.Model, [Spec(5)]);
        using var other = new ActivationCapture(fixture.Model, [Spec(6)]);
        using var images = fixture.Test.ImagesTensor(0, 8);

        var a = first.Run(images).Layer("conv2");
        var b = again.Run(images).Layer("conv2");
        var c = other.Run(images).Layer("conv2");

        Assert.Equal(48, a.Dim);
        Assert.Equal(a.Values, b.Values);
        Assert.NotEqual(a.Values, c.Values);
    }

    [Fact]
    public void Constructor_UnknownLayer_ThrowsListingAvailableLayers()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new ActivationCapture(fixture.Model, [new LayerCaptureSpec("conv3", LayerReduction.Flatten)]));

        Assert.Contains("'conv3'", ex.Message);
        Assert.Contains("conv1, conv2, fc1, logits", ex.Message);
    }

    [Fact]
    public void Constructor_ProjectionWithoutDim_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new ActivationCapture(fixture.Model, [new LayerCaptureSpec("fc1", LayerReduction.RandomProjection)]));

        Assert.Contains("ProjectionDim", ex.Message);
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var capture = new ActivationCapture(fixture.Model, LayerCaptureSpec.SmallCnnDefaults);
        capture.Dispose();

        using var images = fixture.Test.ImagesTensor(0, 1);
        Assert.Throws<ObjectDisposedException>(() => capture.Run(images));
    }

    [Fact]
    public void Run_DoesNotLeakTensorsIntoCallerScope()
    {
        using var capture = new ActivationCapture(fixture.Model, LayerCaptureSpec.SmallCnnDefaults);
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 8);
        var before = scope.DisposablesCount;

        capture.Run(images);

        Assert.Equal(before, scope.DisposablesCount);
    }

    private static float TensorPrimitivesMax(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}
