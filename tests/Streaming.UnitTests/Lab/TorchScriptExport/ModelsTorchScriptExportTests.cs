using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Streaming.Lab.Data;
using Streaming.Lab.TorchScriptExport;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;
using Streaming.UnitTests.Ml;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Lab.TorchScriptExport;

/// <summary>
/// A SmallCnn trained in TorchSharp, exported with our own TorchScript writer and loaded back by
/// libtorch's real torch.jit.load: the script module must compute what the native module computes.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class ModelsTorchScriptExportTests(TrainedModelFixture fixture) : IDisposable
{
    private const int Images = 64;
    private static readonly IReadOnlyList<LayerCaptureSpec> SmallCnnOutputs = TorchScriptExporter.DefaultOutputs(ModelCatalog.SmallCnnName);
    private const float Tolerance = 1e-5f;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"small-cnn-{Guid.NewGuid():N}.pt");

    [Fact]
    public void Export_TrainedSmallCnn_JitLoadGivesSameLogitsAndLayerOutputs()
    {
        using (var file = File.Create(_path))
        {
            TorchScriptExporter.Export(fixture.Model, file);
        }

        using var script = TorchScriptModel.Load(_path, SmallCnnOutputs.Select(o => o.Layer).ToArray());
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, Images);
        var outputs = script.Run(images);

        // The hooks see each layer's output before its ReLU, as the script module returns them.
        using var capture = new ActivationCapture(fixture.Model,
        [
            new LayerCaptureSpec("logits", LayerReduction.Flatten),
            new LayerCaptureSpec("conv1", LayerReduction.Flatten),
            new LayerCaptureSpec("conv2", LayerReduction.Flatten),
            new LayerCaptureSpec("fc1", LayerReduction.Flatten),
        ]);
        var native = capture.Run(images);

        Assert.Equal(SmallCnnOutputs.Select(o => o.Layer).ToArray(), outputs.Select(o => o.Layer));
        Assert.Equal([10, 32 * 26 * 26, 64 * 11 * 11, 128], outputs.Select(o => o.Dim));
        for (var i = 0; i < outputs.Count; i++)
        {
            var expected = native.Layer(outputs[i].Layer).Values;
            Assert.Equal(expected.Length, outputs[i].Values.Length);
            var worst = expected.Zip(outputs[i].Values, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= Tolerance, $"{outputs[i].Layer}: largest difference {worst}");
        }

        // And the hooked native run is the plain forward (hooks do not change the result).
        var plain = fixture.PlainLogits(0, Images);
        Assert.True(plain.Zip(outputs[0].Values, (a, b) => Math.Abs(a - b)).Max() <= Tolerance);
    }

    [Fact]
    public void Export_ResNetSmallWithRunningStatistics_JitLoadGivesSameLogitsAndBlockOutputs()
    {
        var outputs = TorchScriptExporter.DefaultOutputs(ModelCatalog.ResNetSmallName);
        using var model = ResNetSmall.Create(TrainedModelFixture.Seed);
        using (var warmUp = NewDisposeScope())
        using (no_grad())
        {
            // Train-mode passes move the batch norms' running statistics away from 0/1, so the test sees them.
            model.train();
            for (var i = 0; i < 3; i++)
            {
                model.call(fixture.Test.ImagesTensor(i * 32, 32));
            }
        }

        model.eval();
        TorchScriptExporter.Export(model, _path);
        using var script = TorchScriptModel.Load(_path, outputs.Select(o => o.Layer).ToArray());
        using var scope = NewDisposeScope();
        var images = fixture.Test.ImagesTensor(0, 16);
        var served = script.Run(images);
        using var capture = new ActivationCapture(model, outputs.Select(o => new LayerCaptureSpec(o.Layer, LayerReduction.Flatten)));
        var native = capture.Run(images);

        Assert.Equal(["logits", "stem", "block1", "block2", "block3", "block4"], served.Select(o => o.Layer));
        foreach (var output in served)
        {
            var expected = native.Layer(output.Layer).Values;
            Assert.Equal(expected.Length, output.Values.Length);
            var worst = expected.Zip(output.Values, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= Tolerance, $"{output.Layer}: largest difference {worst}");
        }
    }

    [Fact]
    public void Export_Autoencoder_ThrowsNamingExportableModels()
    {
        using var model = ConvAutoencoder.Create(1);

        var ex = Assert.Throws<NotSupportedException>(() => TorchScriptExporter.Export(model, _path));

        Assert.Contains("small-cnn, resnet-small", ex.Message);
        Assert.False(File.Exists(_path));
    }

    [Fact]
    public void LoadTorchScript_ExportedSmallCnn_ServesSameVectorsAsNativeRunner()
    {
        TorchScriptExporter.Export(fixture.Model, _path);
        var pixels = fixture.Test.Pixels.AsSpan(0, Images * MnistDataset.PixelsPerImage).ToArray();
        using var script = ModelRunner.LoadTorchScript(_path, SmallCnnOutputs, "small-cnn-ts");

        var served = script.Run(pixels, Images);
        var expected = NativeRun(pixels);

        Assert.Equal("small-cnn-ts", script.Manifest.Name);
        Assert.Equal(
            [("logits", new[] { 10 }, 10), ("conv1", [32, 26, 26], 32), ("conv2", [64, 11, 11], 64), ("fc1", [128], 128)],
            script.Layers.Select(l => (l.Name, l.Shape, l.VectorDim)));
        for (var i = 0; i < Images; i++)
        {
            Assert.Equal(expected[i].PredictedClass, served[i].PredictedClass);
            Assert.Equal(expected[i].Confidence, served[i].Confidence, Tolerance);
            foreach (var (layer, values) in served[i].Layers)
            {
                var worst = values.Zip(expected[i].Layers[layer], (a, b) => Math.Abs(a - b)).Max();
                Assert.True(worst <= Tolerance, $"image {i} {layer}: largest difference {worst}");
            }
        }
    }

    [Fact]
    public void LoadTorchScript_FewerOutputNamesThanTensors_ThrowsNamingBothCounts()
    {
        TorchScriptExporter.Export(fixture.Model, _path);

        var ex = Assert.Throws<InvalidOperationException>(
            () => ModelRunner.LoadTorchScript(_path, [new LayerCaptureSpec("logits", LayerReduction.Flatten)]));

        Assert.Contains("returned 4 tensor(s) but 1 output names were configured", ex.Message);
    }

    [Fact]
    public void Export_SmallCnn_WritesStoredEntriesWithDataOn64ByteBoundaries()
    {
        TorchScriptExporter.Export(fixture.Model, _path);
        var bytes = File.ReadAllBytes(_path);

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(
            ["archive/data.pkl", "archive/code/__torch__.py", .. Enumerable.Range(0, 8).Select(i => $"archive/data/{i}"), "archive/constants.pkl", "archive/version", "archive/byteorder"],
            zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));

        // Walk the local headers: data begins after 30 bytes + name + extra field, and must be 64-byte aligned.
        var offset = 0;
        foreach (var entry in zip.Entries)
        {
            Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            var dataStart = offset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            Assert.True(dataStart % 64 == 0, $"{entry.FullName} data starts at {dataStart}");
            offset = dataStart + (int)entry.Length;
        }

        using var weights = zip.GetEntry("archive/data/0")!.Open();
        var conv1Weight = new byte[32 * 9 * sizeof(float)];
        weights.ReadExactly(conv1Weight);
        var expected = fixture.Model.named_parameters().Single(p => p.name == "conv1.weight").parameter.data<float>().ToArray();
        Assert.Equal(expected, MemoryMarshal.Cast<byte, float>(conv1Weight).ToArray());
    }

    public void Dispose() => File.Delete(_path);

    private IReadOnlyList<InputActivations> NativeRun(float[] pixels)
    {
        // A second SmallCnn with the fixture's weights, since the runner takes ownership of its model.
        var directory = Directory.CreateTempSubdirectory("small-cnn-").FullName;
        try
        {
            ModelStore.Save(directory, fixture.Model, fixture.Manifest);
            using var native = ModelRunner.Load(directory);
            return native.Run(pixels, Images);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
