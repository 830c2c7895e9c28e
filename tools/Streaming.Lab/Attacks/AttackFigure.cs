using Streaming.Ml.Images;

namespace Streaming.Lab.Attacks;

/// <summary>
/// A PNG grid like the figures in the literature: one row per attack, and for each example three
/// tiles: clean, adversarial, and the difference (grey = unchanged, white = brighter, black = darker,
/// amplified so that eps 0.1 is visible).
/// </summary>
public static class AttackFigure
{
    private const int Side = 28;
    private const int Scale = 3;
    private const int Gap = 4;

    /// <param name="rows">Per attack: clean and adversarial pixels of at least <paramref name="examples"/> images, 784 each.</param>
    public static void Save(string path, IReadOnlyList<(float[] Clean, float[] Adversarial)> rows, int examples, double differenceGain = 2.5)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(examples);
        if (rows.Count == 0)
            throw new ArgumentException("A figure needs at least one row.", nameof(rows));

        const int tile = Side * Scale;
        var width = (examples * ((3 * tile) + Gap)) - Gap;
        var height = (rows.Count * (tile + Gap)) - Gap;
        var canvas = new byte[width * height];
        Array.Fill(canvas, (byte)255);
        for (var r = 0; r < rows.Count; r++)
        {
            var (clean, adversarial) = rows[r];
            var available = Math.Min(clean.Length, adversarial.Length) / (Side * Side);
            for (var e = 0; e < Math.Min(examples, available); e++)
            {
                var x0 = e * ((3 * tile) + Gap);
                var y0 = r * (tile + Gap);
                var offset = e * Side * Side;
                Draw(canvas, width, x0, y0, p => clean[offset + p]);
                Draw(canvas, width, x0 + tile, y0, p => adversarial[offset + p]);
                Draw(canvas, width, x0 + (2 * tile), y0, p => (float)(0.5 + (differenceGain * (adversarial[offset + p] - clean[offset + p]) / 2)));
            }
        }

        File.WriteAllBytes(path, GrayscalePng.Encode(canvas, width, height));
    }

    private static void Draw(byte[] canvas, int width, int x0, int y0, Func<int, float> value)
    {
        for (var y = 0; y < Side * Scale; y++)
        {
            for (var x = 0; x < Side * Scale; x++)
            {
                var v = Math.Clamp(value(((y / Scale) * Side) + (x / Scale)), 0f, 1f);
                canvas[((y0 + y) * width) + x0 + x] = (byte)Math.Round(v * 255);
            }
        }
    }
}
