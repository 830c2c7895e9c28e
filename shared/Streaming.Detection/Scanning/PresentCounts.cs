using System.Numerics;

namespace Streaming.Detection.Scanning;

/// <summary>
/// The count values some item holds at a threshold, from a bit set, largest first: a step's prefix scan visits
/// only those, where a walk down every value from the members' count (up to the node count, 234 for the small
/// CNN) met mostly empty ones, each a branch the processor could not predict.
/// </summary>
internal ref struct PresentCounts(ReadOnlySpan<ulong> present)
{
    private readonly ReadOnlySpan<ulong> _present = present;
    private int _word = present.Length - 1;
    private ulong _bits = present.Length > 0 ? present[^1] : 0;

    /// <summary>The next smaller value present that is at least <paramref name="lowest"/>; false when there is none.</summary>
    public bool Next(int lowest, out int value)
    {
        while (_bits == 0)
        {
            if (--_word < 0)
            {
                value = -1;
                return false;
            }
            _bits = _present[_word];
        }
        int bit = 63 - BitOperations.LeadingZeroCount(_bits);
        _bits &= ~(1UL << bit);
        value = _word * 64 + bit;
        return value >= lowest;
    }
}
