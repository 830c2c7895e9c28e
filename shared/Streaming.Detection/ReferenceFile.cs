using System.Runtime.InteropServices;
using System.Text;

namespace Streaming.Detection;

/// <summary>
/// Versioned binary file of a <see cref="ReferenceSet"/>. Layout (little-endian):
/// magic "MMDREF\x1A\n" (8 bytes), format version (int32), model, model version (length-prefixed UTF-8),
/// created-at UTC ticks (int64) and offset minutes (int16), layer count (int32), then per layer:
/// name, count (int32), dimension (int32), bandwidth (float64), payload byte length (int64),
/// count × dimension float32 values. Format v2 adds, after the last layer, the calibration section of
/// per-input scoring: a presence byte (0 or 1), then when present the sample seed (uint64), the source
/// description (string), the reference row count (int32) and that many reference labels (int32), the
/// calibration count (int32) and that many calibration labels (int32), and per layer in layer order
/// its calibration payload byte length (int64) and calibration count × dimension float32 values.
/// Nothing may follow. Version 1 files (no calibration section) still load; their
/// <see cref="ReferenceSet.HasCalibration"/> is false and <see cref="ReferenceSet.MissingCalibrationMessage"/>
/// tells to run `control calibrate` again.
/// </summary>
public static class ReferenceFile
{
    public const int FormatVersion = 2;

    /// <summary>The first version, without the calibration section; still readable.</summary>
    public const int FormatVersionWithoutCalibration = 1;

    // The 0x1A/0x0A tail catches files mangled by text-mode transfers, as PNG's signature does.
    private static readonly byte[] Magic = [(byte)'M', (byte)'M', (byte)'D', (byte)'R', (byte)'E', (byte)'F', 0x1A, 0x0A];

    public static void Save(string path, ReferenceSet references)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Layers.Count == 0)
        {
            throw new ArgumentException("A reference set needs at least one layer.", nameof(references));
        }
        references.Calibration?.CheckAgainst(references.Layers);

        // Write beside the target and move into place, so readers never see a half-written file.
        string fullPath = Path.GetFullPath(path);
        string temporary = fullPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                Write(writer, references);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static ReferenceSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Reference file '{Path.GetFullPath(path)}' does not exist; write one with `control calibrate`.", path);
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            return Read(reader, stream.Length, path);
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, $"the file is truncated (ends at byte {stream.Length})");
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(path, "a name is not valid UTF-8");
        }
    }

    /// <summary>The file's bytes, as <see cref="Save"/> writes them (a registry stores references this way).</summary>
    public static byte[] ToBytes(ReferenceSet references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Layers.Count == 0)
        {
            throw new ArgumentException("A reference set needs at least one layer.", nameof(references));
        }
        references.Calibration?.CheckAgainst(references.Layers);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, references);
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Reads a reference from the bytes of a file, with the same checks as <see cref="Load"/>;
    /// <paramref name="name"/> names the source in the <see cref="InvalidDataException"/> of a bad one.
    /// </summary>
    public static ReferenceSet FromBytes(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var stream = new MemoryStream(bytes, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            return Read(reader, stream.Length, name);
        }
        catch (EndOfStreamException)
        {
            throw Invalid(name, $"the file is truncated (ends at byte {stream.Length})");
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(name, "a name is not valid UTF-8");
        }
    }

    private static void Write(BinaryWriter writer, ReferenceSet references)
    {
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(references.Model);
        writer.Write(references.ModelVersion);
        writer.Write(references.CreatedAt.UtcTicks);
        writer.Write((short)references.CreatedAt.Offset.TotalMinutes);
        writer.Write(references.Layers.Count);
        foreach (var layer in references.Layers)
        {
            writer.Write(layer.Layer);
            writer.Write(layer.Count);
            writer.Write(layer.Dimension);
            writer.Write(layer.Bandwidth);
            writer.Write((long)layer.Vectors.Length * sizeof(float));
            writer.Write(MemoryMarshal.AsBytes(layer.Vectors.AsSpan()));
        }
        CalibrationSection.Write(writer, references.Calibration);
    }

    private static ReferenceSet Read(BinaryReader reader, long fileLength, string path)
    {
        byte[] magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw Invalid(path, "it does not start with the reference-file magic bytes (not a reference file)");
        }
        int version = reader.ReadInt32();
        if (version != FormatVersion && version != FormatVersionWithoutCalibration)
        {
            throw Invalid(path, $"format version {version} is not supported (this build reads versions {FormatVersionWithoutCalibration} and {FormatVersion})");
        }

        string model = reader.ReadString();
        string modelVersion = reader.ReadString();
        long utcTicks = reader.ReadInt64();
        short offsetMinutes = reader.ReadInt16();
        DateTimeOffset createdAt = ReadTimestamp(utcTicks, offsetMinutes, path);

        int layerCount = reader.ReadInt32();
        if (layerCount < 1)
        {
            throw Invalid(path, $"it declares {layerCount} layers; at least one is required");
        }

        var layers = new List<LayerReference>(Math.Min(layerCount, 1024));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < layerCount; i++)
        {
            var layer = ReadLayer(reader, fileLength, path, i);
            if (!names.Add(layer.Layer))
            {
                throw Invalid(path, $"layer '{layer.Layer}' appears twice");
            }
            layers.Add(layer);
        }

        var calibration = version >= FormatVersion
            ? CalibrationSection.Read(reader, fileLength, layers, problem => Invalid(path, problem))
            : null;
        if (reader.BaseStream.Position != fileLength)
        {
            throw Invalid(path, $"{fileLength - reader.BaseStream.Position} unexpected bytes follow the last {(version >= FormatVersion ? "section" : "layer")}");
        }
        return new ReferenceSet(model, modelVersion, createdAt, layers) { Calibration = calibration, FileFormatVersion = version };
    }

    private static LayerReference ReadLayer(BinaryReader reader, long fileLength, string path, int index)
    {
        string name = reader.ReadString();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(path, $"layer #{index} has an empty name");
        }
        int count = reader.ReadInt32();
        int dimension = reader.ReadInt32();
        double bandwidth = reader.ReadDouble();
        long payloadBytes = reader.ReadInt64();

        if (count < 2 || dimension < 1)
        {
            throw Invalid(path, $"layer '{name}' declares {count} vectors of dimension {dimension} (need at least 2 vectors, dimension at least 1)");
        }
        if (!double.IsFinite(bandwidth) || bandwidth <= 0)
        {
            throw Invalid(path, $"layer '{name}' has bandwidth {bandwidth}; it must be finite and positive");
        }
        long expectedBytes = (long)count * dimension * sizeof(float);
        if (payloadBytes != expectedBytes)
        {
            throw Invalid(path,
                $"layer '{name}' declares {count}×{dimension} vectors ({expectedBytes} bytes) but its payload is {payloadBytes} bytes (dimension mismatch)");
        }
        long remaining = fileLength - reader.BaseStream.Position;
        if (payloadBytes > remaining)
        {
            // Checked before allocating, so a corrupt header cannot ask for gigabytes.
            throw Invalid(path, $"the file is truncated: layer '{name}' needs {payloadBytes} bytes of vectors, {remaining} remain");
        }
        if (payloadBytes > Array.MaxLength)
        {
            throw Invalid(path, $"layer '{name}' is too large to load ({payloadBytes} bytes)");
        }

        var vectors = new float[count * dimension];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
        int bad = ActivationBounds.FirstUnusable(vectors);
        if (bad >= 0)
        {
            throw Invalid(path, $"layer '{name}' holds an unusable value ({ActivationBounds.Describe(vectors[bad])}) in vector {bad / dimension}, component {bad % dimension}");
        }
        return new LayerReference(name, count, dimension, vectors, bandwidth);
    }

    private static DateTimeOffset ReadTimestamp(long utcTicks, short offsetMinutes, string path)
    {
        try
        {
            var offset = TimeSpan.FromMinutes(offsetMinutes);
            return new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(offset);
        }
        catch (ArgumentException)
        {
            throw Invalid(path, $"creation time (ticks {utcTicks}, offset {offsetMinutes} min) is out of range");
        }
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"Reference file '{path}' is invalid: {problem}.");
}
