namespace Streaming.Lab.Traffic;

/// <summary>Generated traffic: the pixels of every item in order (784 per image for MNIST) and its ground truth.</summary>
public sealed record TrafficBatch(float[] Pixels, IReadOnlyList<TrafficItem> Items)
{
    public int PixelsPerImage => Items.Count == 0 ? 0 : Pixels.Length / Items.Count;
}
