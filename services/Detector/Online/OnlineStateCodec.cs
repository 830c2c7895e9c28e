using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Streaming.Detection.Online;

namespace Streaming.Detector.Online;

/// <summary>
/// The bytes of one stored window event: the event id (length-prefixed UTF-8), then every layer's
/// float32 values in the model's layer order. The layer names and sizes are not repeated per event;
/// <see cref="Shape"/> records them once with the stream, so a state written for another reference
/// or window size is recognised and dropped.
/// </summary>
internal static class OnlineStateCodec
{
    /// <summary>Model version, window size and every layer with its dimension: what the stored vectors must fit.</summary>
    public static string Shape(OnlineMmdModel model) =>
        $"{model.ModelVersion}|W{model.Options.WindowSize}|" + string.Join(',', model.Layers.Select(l => $"{l.Layer}:{l.Dimension}"));

    public static byte[] Encode(OnlineMmdModel model, string eventId, IReadOnlyDictionary<string, float[]> vectors)
    {
        var id = Encoding.UTF8.GetBytes(eventId);
        var bytes = new byte[4 + id.Length + 4 * model.Layers.Sum(l => l.Dimension)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, id.Length);
        id.CopyTo(bytes, 4);
        int at = 4 + id.Length;
        foreach (var layer in model.Layers)
        {
            var values = MemoryMarshal.AsBytes(vectors[layer.Layer].AsSpan());
            WriteLittleEndian(values, bytes.AsSpan(at, values.Length));
            at += values.Length;
        }
        return bytes;
    }

    /// <summary>The event id and vectors, or null when the bytes do not fit the model (a state written for another shape).</summary>
    public static (string EventId, IReadOnlyDictionary<string, float[]> Vectors)? Decode(OnlineMmdModel model, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4) return null;
        int idLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int expected = 4 + idLength + 4 * model.Layers.Sum(l => l.Dimension);
        if (idLength < 0 || bytes.Length != expected) return null;
        var eventId = Encoding.UTF8.GetString(bytes.Slice(4, idLength));
        var vectors = new Dictionary<string, float[]>(model.Layers.Count, StringComparer.Ordinal);
        int at = 4 + idLength;
        foreach (var layer in model.Layers)
        {
            var values = new float[layer.Dimension];
            for (int i = 0; i < values.Length; i++, at += 4)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[at..]);
            vectors[layer.Layer] = values;
        }
        return (eventId, vectors);
    }

    private static void WriteLittleEndian(ReadOnlySpan<byte> floats, Span<byte> destination)
    {
        floats.CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < destination.Length; i += 4)
                destination.Slice(i, 4).Reverse();
        }
    }
}
