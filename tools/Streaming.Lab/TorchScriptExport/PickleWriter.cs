using System.Buffers.Binary;
using System.Text;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// The few opcodes of Python pickle protocol 2 that TorchScript archives use (data.pkl, constants.pkl),
/// written the way libtorch's own Pickler writes them (torch/csrc/jit/serialization/pickler.cpp), so
/// libtorch's Unpickler reads them back. No memo: the unpickler does not need one.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _buffer = new();

    public PickleWriter() => WriteOp(0x80, 2); // PROTO 2

    /// <summary>GLOBAL: "module\nname\n", e.g. torch._utils / _rebuild_tensor_v2 or __torch__ / SmallCnn.</summary>
    public void Global(string module, string name)
    {
        _buffer.WriteByte((byte)'c');
        Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    public void Mark() => _buffer.WriteByte((byte)'(');

    public void Tuple() => _buffer.WriteByte((byte)'t');

    public void EmptyTuple() => _buffer.WriteByte((byte)')');

    public void EmptyDict() => _buffer.WriteByte((byte)'}');

    public void SetItems() => _buffer.WriteByte((byte)'u');

    public void NewObject() => _buffer.WriteByte(0x81);

    public void Build() => _buffer.WriteByte((byte)'b');

    public void Reduce() => _buffer.WriteByte((byte)'R');

    public void BinaryPersistentId() => _buffer.WriteByte((byte)'Q');

    public void Bool(bool value) => _buffer.WriteByte(value ? (byte)0x88 : (byte)0x89);

    /// <summary>BININT (signed 32-bit) when it fits, else LONG1 with 8 little-endian bytes.</summary>
    public void Int(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            _buffer.WriteByte((byte)'J');
            Write(bytes);
            return;
        }

        Span<byte> wide = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(wide, value);
        WriteOp(0x8a, 8);
        Write(wide);
    }

    /// <summary>BINUNICODE: 32-bit little-endian length, then UTF-8.</summary>
    public void String(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)utf8.Length);
        _buffer.WriteByte((byte)'X');
        Write(length);
        Write(utf8);
    }

    /// <summary>A tuple of ints (sizes, strides) as MARK ints TUPLE.</summary>
    public void IntTuple(IEnumerable<long> values)
    {
        Mark();
        foreach (var value in values)
        {
            Int(value);
        }

        Tuple();
    }

    /// <summary>Ends the pickle with STOP and returns its bytes; the writer is not usable afterwards.</summary>
    public byte[] ToBytes()
    {
        _buffer.WriteByte((byte)'.');
        return _buffer.ToArray();
    }

    private void WriteOp(byte op, byte argument)
    {
        _buffer.WriteByte(op);
        _buffer.WriteByte(argument);
    }

    private void Write(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);
}
