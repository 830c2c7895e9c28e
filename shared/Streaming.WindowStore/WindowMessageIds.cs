using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Streaming.WindowStore;

/// <summary>
/// Ids for the window messages a script may emit, in UUID form (RFC 9562 version 8, a layout of our own):
/// 8 random bytes drawn once per process, then a counter. Every event of every append carries one (the
/// script only knows which event closes a window when it runs), so two per consumed event: Guid.NewGuid
/// asks the kernel for randomness each time, about 1 us in this machine's VM, a tenth of Windowing's own
/// work per event. The ids only need to be unique, not unpredictable: the counter makes them unique in
/// a process and the random prefix across processes.
/// </summary>
internal static class WindowMessageIds
{
    private static readonly ulong Prefix = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, Prefix);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (ulong)Interlocked.Increment(ref _counter));
        bytes[6] = (byte)(0x80 | (bytes[6] & 0x0F));   // version 8
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));   // RFC variant (the counter keeps its low 62 bits)
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
