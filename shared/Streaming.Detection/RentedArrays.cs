using System.Buffers;

namespace Streaming.Detection;

/// <summary>
/// Float arrays rented from <see cref="ArrayPool{T}.Shared"/>, one per slot (a layer), all returned on
/// <see cref="Dispose"/>: a group's per-layer scratch runs to hundreds of kilobytes, and allocated call after
/// call it would land on the large object heap, whose budget triggers full collections.
/// A rented array may be longer than asked for; callers use its first values.
/// </summary>
internal sealed class RentedArrays(int slots) : IDisposable
{
    private readonly float[]?[] _arrays = new float[]?[slots];

    /// <summary>The array of <paramref name="slot"/> (rented by <see cref="Rent"/>).</summary>
    public float[] this[int slot] => _arrays[slot] ?? throw new InvalidOperationException($"Slot {slot} holds no rented array.");

    /// <summary>Rents an array of at least <paramref name="length"/> values for <paramref name="slot"/>.</summary>
    public float[] Rent(int slot, int length) => _arrays[slot] = ArrayPool<float>.Shared.Rent(length);

    public void Dispose()
    {
        for (int slot = 0; slot < _arrays.Length; slot++)
        {
            if (_arrays[slot] is { } array)
            {
                ArrayPool<float>.Shared.Return(array);
                _arrays[slot] = null;
            }
        }
    }
}
