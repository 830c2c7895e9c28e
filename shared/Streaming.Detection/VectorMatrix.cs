namespace Streaming.Detection;

internal static class VectorMatrix
{
    /// <summary>
    /// Copies jagged vectors into one row-major array, checking that every row has the same
    /// (or the expected) dimension and that every value is finite and within ±1e6.
    /// </summary>
    public static float[] Flatten(IReadOnlyList<float[]> rows, int? expectedDimension, string what, out int dimension)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"The {what} are empty.", nameof(rows));
        }

        dimension = expectedDimension ?? rows[0]?.Length ?? 0;
        if (dimension < 1)
        {
            throw new ArgumentException($"The {what} have dimension 0.", nameof(rows));
        }

        var flat = new float[rows.Count * dimension];
        CopyRows(rows, dimension, what, flat);
        return flat;
    }

    /// <summary>
    /// <see cref="Flatten"/> into <paramref name="destination"/> (rows.Count × <paramref name="dimension"/> values),
    /// with the same checks: a group of windows is laid out in one array without a copy per window.
    /// </summary>
    public static void FlattenInto(IReadOnlyList<float[]> rows, int dimension, string what, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"The {what} are empty.", nameof(rows));
        }
        if (destination.Length != (long)rows.Count * dimension)
        {
            throw new ArgumentException($"The {what}: {rows.Count} vectors of {dimension} do not fill {destination.Length} values.", nameof(destination));
        }
        CopyRows(rows, dimension, what, destination);
    }

    private static void CopyRows(IReadOnlyList<float[]> rows, int dimension, string what, Span<float> destination)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            float[]? row = rows[i];
            if (row is null)
            {
                throw new ArgumentException($"The {what}: vector {i} is null.", nameof(rows));
            }
            if (row.Length != dimension)
            {
                throw new ArgumentException(
                    $"The {what}: vector {i} has dimension {row.Length}, expected {dimension}.", nameof(rows));
            }
            // Non-finite or beyond ±1e6: either could make a float32 distance overflow.
            int bad = ActivationBounds.FirstUnusable(row);
            if (bad >= 0)
            {
                throw new ArgumentException(
                    $"The {what}: vector {i} holds an unusable value ({ActivationBounds.Describe(row[bad])}) at component {bad}.", nameof(rows));
            }
            row.CopyTo(destination.Slice(i * dimension, dimension));
        }
    }
}
