using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Streaming.Ml.Images;

/// <summary>
/// Encodes an 8-bit grayscale image as PNG (IHDR, one zlib IDAT, IEND) without a native imaging
/// library: the captured inputs a browser shows, and the lab's figures on a headless machine.
/// </summary>
public static class GrayscalePng
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <param name="pixels">Row-major values in [0, 1]; others are clamped.</param>
    public static byte[] Encode(ReadOnlySpan<float> pixels, int width, int height)
    {
        if (pixels.Length != width * height)
            throw new ArgumentException($"{pixels.Length} pixels for a {width}x{height} image.", nameof(pixels));
        var bytes = new byte[pixels.Length];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)Math.Round(Math.Clamp(float.IsFinite(pixels[i]) ? pixels[i] : 0f, 0f, 1f) * 255f);
        return Encode(bytes, width, height);
    }

    /// <param name="pixels">Row-major 8-bit gray levels.</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != width * height)
            throw new ArgumentException($"{pixels.Length} pixels for a {width}x{height} image.", nameof(pixels));
        var raw = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            raw[y * (width + 1)] = 0; // filter: none
            pixels.Slice(y * width, width).CopyTo(raw.AsSpan(y * (width + 1) + 1));
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // colour type: grayscale
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
