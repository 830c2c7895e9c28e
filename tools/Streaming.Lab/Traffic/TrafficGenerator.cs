using System.Runtime.InteropServices;
using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Traffic;

/// <summary>Plans traffic and renders its images: clean ones copied, attacked ones generated in one batched attack call.</summary>
public static class TrafficGenerator
{
    public static TrafficBatch Generate(nn.Module<Tensor, Tensor> model, MnistDataset source, TrafficPlan plan)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        var items = TrafficPlanner.Plan(plan, source.Labels);
        const int size = MnistDataset.PixelsPerImage;
        var pixels = new float[items.Count * size];
        foreach (var item in items)
            source.Pixels.AsSpan(item.SourceIndex * size, size).CopyTo(pixels.AsSpan(item.Position * size, size));

        var attacked = items.Where(i => !i.IsClean).ToArray();
        if (attacked.Length == 0)
            return new TrafficBatch(pixels, items);

        using var scope = NewDisposeScope();
        var sourcePixels = new float[attacked.Length * size];
        for (var i = 0; i < attacked.Length; i++)
            source.Pixels.AsSpan(attacked[i].SourceIndex * size, size).CopyTo(sourcePixels.AsSpan(i * size, size));
        var images = tensor(sourcePixels, [attacked.Length, 1, MnistDataset.ImageSide, MnistDataset.ImageSide]);
        var labels = tensor(attacked.Select(i => (long)i.Label).ToArray(), [attacked.Length]);

        var adversarial = AttackFactory.Create(plan.Attack).Generate(model, images, labels).contiguous();
        var generated = MemoryMarshal.Cast<byte, float>(adversarial.bytes);
        for (var i = 0; i < attacked.Length; i++)
            generated.Slice(i * size, size).CopyTo(pixels.AsSpan(attacked[i].Position * size, size));
        return new TrafficBatch(pixels, items);
    }
}
