namespace Streaming.Detection;

internal static class FiniteCheck
{
    /// <summary>Index of the first NaN or ±Inf value, or -1 when every value is finite.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
