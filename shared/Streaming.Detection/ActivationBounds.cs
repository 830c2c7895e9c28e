using System.Numerics;

namespace Streaming.Detection;

/// <summary>
/// The magnitude an activation value may have to be tested. Real activations of the models served
/// here stay within a few hundred; 1e6 leaves room for any sane model and keeps every float32 step of
/// the statistics finite: a centred squared norm is at most d·(2·10⁶)² = 4·10¹²·d, far below
/// float32's 3.4·10³⁸ for any layer width, so no distance, kernel or sum can overflow to Inf or NaN.
/// </summary>
public static class ActivationBounds
{
    /// <summary>Largest |value| accepted (the contract-wide event rules carry the same bound).</summary>
    public const double MaxMagnitude = 1e6;

    /// <summary>Index of the first value that is NaN, ±Inf or larger than <see cref="MaxMagnitude"/> in magnitude; -1 when all are usable.</summary>
    public static int FirstUnusable(ReadOnlySpan<float> values)
    {
        // A register of values at a time (every event's vectors are checked before they are tested, each of
        // them several times); the first register that fails is searched value by value. 10⁶ is exact in float32.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<float>((float)MaxMagnitude);
            for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
            {
                // NaN compares false, so it fails the test too.
                if (!Vector.LessThanOrEqualAll(Vector.Abs(new Vector<float>(values[i..])), limit))
                {
                    break;
                }
            }
        }
        for (; i < values.Length; i++)
        {
            // Written so that NaN fails the test too.
            if (!(Math.Abs(values[i]) <= MaxMagnitude))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Why <paramref name="value"/> cannot be tested, for messages.</summary>
    public static string Describe(float value) =>
        float.IsFinite(value) ? $"{value:G9}, beyond ±{MaxMagnitude:G}" : $"non-finite {value}";
}
