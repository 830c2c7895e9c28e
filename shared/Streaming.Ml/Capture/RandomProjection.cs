namespace Streaming.Ml.Capture;

/// <summary>
/// The fixed Gaussian projection matrix of a <see cref="LayerCaptureSpec"/>. Generated with .NET's
/// seeded <see cref="Random"/> (stable across runtimes and libtorch versions) rather than torch's RNG,
/// so a calibration run and a serving process years apart project identically.
/// </summary>
internal static class RandomProjection
{
    /// <summary>Row-major [inputDim, outputDim] entries drawn from N(0,1) / sqrt(outputDim).</summary>
    public static float[] Matrix(int inputDim, int outputDim, int seed)
    {
        var random = new Random(seed);
        var scale = 1.0 / Math.Sqrt(outputDim);
        var values = new float[checked(inputDim * outputDim)];
        for (var i = 0; i < values.Length; i += 2)
        {
            // Box-Muller: two independent standard normals per pair of uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2) * scale);
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2) * scale);
            }
        }

        return values;
    }
}
