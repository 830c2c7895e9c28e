using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// A zip archive whose entries are stored (not compressed) with each entry's data starting on a
/// 64-byte boundary, as libtorch's PyTorchStreamWriter writes it (caffe2/serialize/inline_container.cc):
/// the padding goes into a local-header extra field with id "FB". Storages can then be read in place.
/// Small archives only (no zip64): a TorchScript export of our models is a few MB.
/// </summary>
internal sealed class StoredZipWriter : IDisposable
{
    private const int Alignment = 64;
    private const int LocalHeaderSize = 30;
    private const ushort PaddingFieldId = 0x4246; // "FB"

    private readonly Stream _output;
    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> _entries = [];
    private bool _finished;

    public StoredZipWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var offset = checked((uint)_output.Position);

        // At least the 4-byte field header, then as many zero bytes as bring the data to the boundary.
        var dataStart = offset + LocalHeaderSize + nameBytes.Length + 4;
        var padding = (int)((Alignment - (dataStart % Alignment)) % Alignment);
        var crc = Crc32.HashToUInt32(data);
        var size = checked((uint)data.Length);

        Span<byte> header = stackalloc byte[LocalHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 20); // version needed
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0); // flags
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0); // method: stored
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0); // time
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], 0x21); // date 1980-01-01
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], size);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(4 + padding));
        _output.Write(header);
        _output.Write(nameBytes);

        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(field, PaddingFieldId);
        BinaryPrimitives.WriteUInt16LittleEndian(field[2..], (ushort)padding);
        _output.Write(field);
        _output.Write(new byte[padding]);
        _output.Write(data);
        _entries.Add((nameBytes, crc, size, offset));
    }

    /// <summary>Writes the central directory and the end record.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        var directoryStart = checked((uint)_output.Position);
        Span<byte> header = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in _entries)
        {
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 20); // version made by
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 20); // version needed
            BinaryPrimitives.WriteUInt16LittleEndian(header[14..], 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], offset);
            _output.Write(header);
            _output.Write(name);
        }

        var directorySize = checked((uint)_output.Position - directoryStart);
        Span<byte> end = stackalloc byte[22];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], directoryStart);
        _output.Write(end);
        _output.Flush();
    }

    public void Dispose() => Finish();
}
