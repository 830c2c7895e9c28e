using System.Buffers.Binary;
using System.IO.Compression;
using Streaming.Ml.Images;

namespace Streaming.UnitTests.Ml.Images;

public sealed class GrayscalePngTests
{
    [Fact]
    public void Encode_ThreeByTwoImage_WritesHeaderAndRowsThatDecompressToThePixels()
    {
        float[] pixels = [0f, 0.5f, 1f, -3f, float.NaN, 7f];

        var png = GrayscalePng.Encode(pixels, 3, 2);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var header = chunks[0].Data;
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(8, header[8]); // bit depth
        Assert.Equal(0, header[9]); // grayscale
        using var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        // Each row: filter byte 0, then the pixels scaled to 0..255; out-of-range values clamp, NaN is black.
        Assert.Equal([0, 0, 128, 255, 0, 0, 0, 255], raw.ToArray());
    }

    [Fact]
    public void Encode_Chunks_CarryTheStandardCrc32()
    {
        var png = GrayscalePng.Encode(new float[4], 2, 2);

        // CRC-32 of "IEND" with no data, fixed by the PNG specification.
        Assert.Equal(0xAE426082u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(png.Length - 4)));
    }

    [Fact]
    public void Encode_PixelCountNotWidthTimesHeight_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrayscalePng.Encode(new float[5], 2, 2));
    }

    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            chunks.Add((type, png.AsSpan(offset + 8, length).ToArray()));
            offset += 12 + length;
        }

        return chunks;
    }
}
