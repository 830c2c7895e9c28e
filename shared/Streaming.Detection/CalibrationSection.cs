using System.Runtime.InteropServices;
using Streaming.Detection.Scoring;

namespace Streaming.Detection;

/// <summary>The calibration section of a format v2 <see cref="ReferenceFile"/> (layout in its summary).</summary>
internal static class CalibrationSection
{
    public static void Write(BinaryWriter writer, CalibrationSplit? calibration)
    {
        writer.Write(calibration is null ? (byte)0 : (byte)1);
        if (calibration is null)
        {
            return;
        }
        writer.Write(calibration.Seed);
        writer.Write(calibration.Source);
        WriteLabels(writer, calibration.ReferenceLabels);
        WriteLabels(writer, calibration.Labels);
        foreach (float[] vectors in calibration.Vectors)
        {
            writer.Write((long)vectors.Length * sizeof(float));
            writer.Write(MemoryMarshal.AsBytes(vectors.AsSpan()));
        }
    }

    public static CalibrationSplit? Read(BinaryReader reader, long fileLength, IReadOnlyList<LayerReference> layers, Func<string, Exception> invalid)
    {
        byte present = reader.ReadByte();
        if (present == 0)
        {
            return null;
        }
        if (present != 1)
        {
            throw invalid($"the calibration section's presence byte is {present} (0 or 1 expected)");
        }
        ulong seed = reader.ReadUInt64();
        string source = reader.ReadString();
        int[] referenceLabels = ReadLabels(reader, fileLength, "reference", invalid);
        if (referenceLabels.Length != layers[0].Count)
        {
            throw invalid($"the calibration section labels {referenceLabels.Length} reference vectors; the layers hold {layers[0].Count}");
        }
        int[] labels = ReadLabels(reader, fileLength, "calibration", invalid);
        if (labels.Length < 1)
        {
            throw invalid("the calibration split is empty");
        }

        var vectors = new List<float[]>(layers.Count);
        foreach (var layer in layers)
        {
            long payloadBytes = reader.ReadInt64();
            long expectedBytes = (long)labels.Length * layer.Dimension * sizeof(float);
            if (payloadBytes != expectedBytes)
            {
                throw invalid($"the calibration vectors of layer '{layer.Layer}' are {payloadBytes} bytes; {labels.Length}×{layer.Dimension} vectors need {expectedBytes} (dimension mismatch)");
            }
            CheckRemaining(reader, fileLength, payloadBytes, $"the calibration vectors of layer '{layer.Layer}'", invalid);
            var values = new float[payloadBytes / sizeof(float)];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            vectors.Add(values);
        }

        try
        {
            var split = new CalibrationSplit(referenceLabels, labels.Length, vectors, labels, seed, source);
            split.CheckAgainst(layers);
            return split;
        }
        catch (ArgumentException error)
        {
            throw invalid(error.Message.TrimEnd('.'));
        }
    }

    private static void WriteLabels(BinaryWriter writer, int[] labels)
    {
        writer.Write(labels.Length);
        writer.Write(MemoryMarshal.AsBytes(labels.AsSpan()));
    }

    private static int[] ReadLabels(BinaryReader reader, long fileLength, string what, Func<string, Exception> invalid)
    {
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw invalid($"the calibration section declares {count} {what} labels");
        }
        CheckRemaining(reader, fileLength, (long)count * sizeof(int), $"the {what} labels", invalid);
        var labels = new int[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(labels.AsSpan()));
        return labels;
    }

    private static void CheckRemaining(BinaryReader reader, long fileLength, long bytes, string what, Func<string, Exception> invalid)
    {
        long remaining = fileLength - reader.BaseStream.Position;
        // Checked before allocating, so a corrupt header cannot ask for gigabytes.
        if (bytes > remaining)
        {
            throw invalid($"the file is truncated: {what} need {bytes} bytes, {remaining} remain");
        }
        if (bytes > Array.MaxLength)
        {
            throw invalid($"{what} are too large to load ({bytes} bytes)");
        }
    }
}
