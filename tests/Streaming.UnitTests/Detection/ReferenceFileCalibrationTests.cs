using System.Text;
using Streaming.Detection;
using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Detection;

public sealed class ReferenceFileCalibrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mmd-reference-v2-").FullName;

    private static ReferenceSet Sample() => new ReferenceSet(
        "small-cnn",
        "v7",
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        [
            new LayerReference("conv1", 3, 2, [1f, 2f, 3f, 4f, 5f, -6.5f], 1.25),
            new LayerReference("fc1", 3, 1, [0f, 0.5f, 7f], 0.75),
        ])
    {
        Calibration = new CalibrationSplit([3, 1, 4], 2, [[9f, 8f, 7f, 6f], [0.25f, -1f]], [5, 9], seed: 42, "mnist test images [0, 5000), seeded shuffle"),
    };

    [Fact]
    public void SaveThenLoad_WithCalibrationSplit_RoundTripsEveryField()
    {
        string path = Path.Combine(_directory, "ref.bin");
        var original = Sample();

        ReferenceFile.Save(path, original);
        var loaded = ReferenceFile.Load(path);

        Assert.True(loaded.HasCalibration);
        Assert.Null(loaded.MissingCalibrationMessage);
        Assert.Equal(ReferenceFile.FormatVersion, loaded.FileFormatVersion);
        var split = loaded.Calibration!;
        Assert.Equal(original.Calibration!.ReferenceLabels, split.ReferenceLabels);
        Assert.Equal(original.Calibration.Labels, split.Labels);
        Assert.Equal(2, split.Count);
        Assert.Equal(original.Calibration.Vectors[0], split.Vectors[0]);
        Assert.Equal(original.Calibration.Vectors[1], split.Vectors[1]);
        Assert.Equal(42UL, split.Seed);
        Assert.Equal(original.Calibration.Source, split.Source);
        Assert.Equal(original.Layers[1].Vectors, loaded.Layers[1].Vectors);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void SaveThenLoad_WithoutCalibrationSplit_LoadsAndSaysToRecalibrate()
    {
        string path = Path.Combine(_directory, "ref.bin");

        ReferenceFile.Save(path, Sample() with { Calibration = null });
        var loaded = ReferenceFile.Load(path);

        Assert.False(loaded.HasCalibration);
        Assert.Contains("control calibrate", loaded.MissingCalibrationMessage);
    }

    [Fact]
    public void Load_Version1File_LoadsWithMessageNamingCalibrateCommand()
    {
        string path = Path.Combine(_directory, "v1.bin");
        WriteVersion1(path);

        var loaded = ReferenceFile.Load(path);

        Assert.Equal(1, loaded.FileFormatVersion);
        Assert.Equal([1f, 2f, 3f, 4f], loaded.Layers[0].Vectors);
        Assert.False(loaded.HasCalibration);
        Assert.Contains("format v1", loaded.MissingCalibrationMessage);
        Assert.Contains("control calibrate", loaded.MissingCalibrationMessage);
        var error = Assert.Throws<MissingCalibrationException>(() => loaded.RequireCalibration());
        Assert.Equal(loaded.MissingCalibrationMessage, error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(30)]
    public void Load_TruncatedCalibrationSection_ThrowsTruncated(int bytesRemoved)
    {
        string path = Path.Combine(_directory, "ref.bin");
        ReferenceFile.Save(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^bytesRemoved]);

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Load_NonFiniteCalibrationVector_ThrowsNamingLayer()
    {
        string path = Path.Combine(_directory, "ref.bin");
        ReferenceFile.Save(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        // The last 4 bytes are the last calibration value of the last layer (fc1).
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.Length - 4);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("'fc1'", error.Message);
        Assert.Contains("non-finite", error.Message);
    }

    [Fact]
    public void Calibration_SplitOfWrongDimension_IsRefused()
    {
        var split = new CalibrationSplit([3, 1, 4], 2, [[9f, 8f, 7f], [0.25f, -1f]], [5, 9], 1, "x");

        var error = Assert.Throws<ArgumentException>(() => Sample() with { Calibration = split });

        Assert.Contains("conv1", error.Message);
    }

    private static void WriteVersion1(string path)
    {
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        writer.Write([(byte)'M', (byte)'M', (byte)'D', (byte)'R', (byte)'E', (byte)'F', 0x1A, 0x0A]);
        writer.Write(1);
        writer.Write("model");
        writer.Write("v1");
        writer.Write(DateTimeOffset.UnixEpoch.UtcTicks);
        writer.Write((short)0);
        writer.Write(1);
        writer.Write("l");
        writer.Write(2);
        writer.Write(2);
        writer.Write(1.0);
        writer.Write(16L);
        foreach (float v in new[] { 1f, 2f, 3f, 4f })
        {
            writer.Write(v);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
