using System.Text;
using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public sealed class ReferenceFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mmd-reference-").FullName;

    private static ReferenceSet Sample() => new(
        "resnet18",
        "v3",
        new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)),
        [
            new LayerReference("layer1", 3, 2, [1f, 2f, 3f, 4f, 5f, -6.5f], 1.25),
            new LayerReference("layer4", 2, 3, [0f, 0.5f, 1e-30f, 7f, 8f, 9f], 0.75),
        ]);

    [Fact]
    public void SaveThenLoad_RoundTripsEveryField()
    {
        string path = Path.Combine(_directory, "ref.bin");
        var original = Sample();

        ReferenceFile.Save(path, original);
        var loaded = ReferenceFile.Load(path);

        Assert.Equal(original.Model, loaded.Model);
        Assert.Equal(original.ModelVersion, loaded.ModelVersion);
        Assert.Equal(original.CreatedAt, loaded.CreatedAt);
        Assert.Equal(original.CreatedAt.Offset, loaded.CreatedAt.Offset);
        Assert.Equal(original.Layers.Count, loaded.Layers.Count);
        for (int i = 0; i < original.Layers.Count; i++)
        {
            Assert.Equal(original.Layers[i].Layer, loaded.Layers[i].Layer);
            Assert.Equal(original.Layers[i].Count, loaded.Layers[i].Count);
            Assert.Equal(original.Layers[i].Dimension, loaded.Layers[i].Dimension);
            Assert.Equal(original.Layers[i].Bandwidth, loaded.Layers[i].Bandwidth);
            Assert.Equal(original.Layers[i].Vectors, loaded.Layers[i].Vectors);
        }
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Load_WrongMagic_ThrowsNamingFile()
    {
        string path = Write(new RawReference { Magic = Encoding.ASCII.GetBytes("NOTAREF!") });

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void Load_UnknownVersion_ThrowsNamingVersion()
    {
        string path = Write(new RawReference { Version = 99 });

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("version 99", error.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(20)]
    [InlineData(60)]
    [InlineData(1)]
    public void Load_TruncatedFile_Throws(int bytesRemoved)
    {
        string path = Path.Combine(_directory, "ref.bin");
        ReferenceFile.Save(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^bytesRemoved]);

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Load_TrailingBytes_Throws()
    {
        string path = Path.Combine(_directory, "ref.bin");
        ReferenceFile.Save(path, Sample());
        File.AppendAllText(path, "junk");

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("4 unexpected bytes", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Load_NonFiniteVector_ThrowsNamingLayer(float bad)
    {
        string path = Write(new RawReference { Vectors = [1f, 2f, bad, 4f] });

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("non-finite", error.Message);
        Assert.Contains("'l'", error.Message);
        Assert.Contains("vector 1", error.Message);
    }

    [Fact]
    public void Load_PayloadDisagreesWithDimension_ThrowsDimensionMismatch()
    {
        // Header says 2×3 but the payload holds 2×2 values.
        string path = Write(new RawReference { Dimension = 3 });

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("dimension mismatch", error.Message);
    }

    [Fact]
    public void Load_NonPositiveBandwidth_Throws()
    {
        string path = Write(new RawReference { Bandwidth = 0 });

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("bandwidth", error.Message);
    }

    [Fact]
    public void Load_HugeDeclaredPayload_ThrowsTruncatedWithoutAllocating()
    {
        string path = Write(new RawReference { Count = 1_000_000, Dimension = 1000, PayloadBytes = 4_000_000_000L });

        var error = Assert.Throws<InvalidDataException>(() => ReferenceFile.Load(path));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Save_EmptyLayerList_Throws()
    {
        var empty = Sample() with { Layers = [] };

        Assert.Throws<ArgumentException>(() => ReferenceFile.Save(Path.Combine(_directory, "x.bin"), empty));
    }

    private string Write(RawReference raw)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".bin");
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        raw.WriteTo(writer);
        return path;
    }

    /// <summary>Writes the v1 layout field by field so tests can corrupt any one of them.</summary>
    private sealed record RawReference
    {
        public byte[] Magic { get; init; } = [(byte)'M', (byte)'M', (byte)'D', (byte)'R', (byte)'E', (byte)'F', 0x1A, 0x0A];
        public int Version { get; init; } = 1;
        public int Count { get; init; } = 2;
        public int Dimension { get; init; } = 2;
        public double Bandwidth { get; init; } = 1.0;
        public long? PayloadBytes { get; init; }
        public float[] Vectors { get; init; } = [1f, 2f, 3f, 4f];

        public void WriteTo(BinaryWriter writer)
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write("model");
            writer.Write("v1");
            writer.Write(DateTimeOffset.UnixEpoch.UtcTicks);
            writer.Write((short)0);
            writer.Write(1);
            writer.Write("l");
            writer.Write(Count);
            writer.Write(Dimension);
            writer.Write(Bandwidth);
            writer.Write(PayloadBytes ?? Vectors.Length * 4L);
            foreach (float v in Vectors)
            {
                writer.Write(v);
            }
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
