using System.Buffers.Binary;
using System.IO.Compression;

namespace Streaming.Lab.Data;

/// <summary>
/// Reads the big-endian IDX format of the MNIST files (magic, dimension sizes, then raw bytes).
/// Accepts a gzipped copy (<c>name.gz</c>) when the plain file is absent.
/// </summary>
internal static class IdxReader
{
    private const int UnsignedByteType = 0x08;

    /// <summary>Reads up to <paramref name="limit"/> items; returns the dimension sizes (first = item count) and the bytes.</summary>
    public static (int[] Dimensions, byte[] Data) Read(string directory, string fileName, int expectedRank, int? limit)
    {
        var path = Path.Combine(directory, fileName);
        var gzPath = path + ".gz";
        Stream stream;
        if (File.Exists(path))
        {
            stream = File.OpenRead(path);
        }
        else if (File.Exists(gzPath))
        {
            stream = new GZipStream(File.OpenRead(gzPath), CompressionMode.Decompress);
        }
        else
        {
            throw new FileNotFoundException(
                $"MNIST file '{path}' does not exist. Run infra/fetch-data.sh to download the data set.", path);
        }

        using (stream)
        {
            Span<byte> header = stackalloc byte[4 + (4 * expectedRank)];
            ReadExactly(stream, header, path, "header");
            var magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic >> 8 != UnsignedByteType || (magic & 0xff) != expectedRank)
            {
                throw new InvalidDataException(
                    $"'{path}' is not an IDX file of unsigned bytes with {expectedRank} dimension(s) (magic 0x{magic:x8}).");
            }

            var dims = new int[expectedRank];
            for (var i = 0; i < expectedRank; i++)
            {
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + (4 * i))..]);
            }

            if (limit is { } max && max < dims[0])
            {
                dims[0] = Math.Max(0, max);
            }

            long itemSize = 1;
            for (var i = 1; i < expectedRank; i++)
            {
                itemSize *= dims[i];
            }

            var data = new byte[checked(dims[0] * itemSize)];
            ReadExactly(stream, data, path, "data");
            return (dims, data);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string part)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException(
                $"'{path}' ends before its {part} is complete; the file is truncated. Delete it and run infra/fetch-data.sh.", ex);
        }
    }
}
