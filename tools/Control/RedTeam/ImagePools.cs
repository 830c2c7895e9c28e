using System.Runtime.InteropServices;
using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using Streaming.Ml.Persistence;
using static TorchSharp.torch;

namespace Streaming.Control.RedTeam;

/// <summary>
/// The images the red team sends, taken from its traffic images: the MNIST test images outside the seeded
/// sample the default reference is calibrated from (<see cref="Workshop.CleanSample"/>), in the sample's order.
/// Clean ones are traffic images [<see cref="CleanStart"/>, +<see cref="CleanCount"/>), adversarial ones are
/// generated from the next <see cref="MaxAdversarial"/>: disjoint from the reference and drawn from the same
/// population, so clean traffic differs from the reference by chance alone.
/// </summary>
public sealed class ImagePools
{
    public const int CleanStart = 0;
    public const int CleanCount = 2000;
    public const int AdversarialStart = CleanStart + CleanCount;
    public const int MaxAdversarial = 2000;

    /// <summary>Traffic images <see cref="Build"/> needs.</summary>
    public const int TrafficCount = AdversarialStart + MaxAdversarial;

    private readonly Dictionary<string, AdversarialPool> _adversarial;

    private ImagePools(float[] clean, Dictionary<string, AdversarialPool> adversarial)
    {
        Clean = clean;
        _adversarial = adversarial;
    }

    public float[] Clean { get; }

    public IReadOnlyCollection<AdversarialPool> Adversarial => _adversarial.Values;

    /// <summary>Images in the pool of <paramref name="attack"/> (the clean pool when null).</summary>
    public int Count(string? attack) => attack is null ? CleanCount : Pool(attack).Count;

    public AdversarialPool Pool(string attack) =>
        _adversarial.TryGetValue(attack, out var pool) ? pool : throw new ArgumentException($"No adversarial images of '{attack}' were generated.", nameof(attack));

    /// <summary>The pixels of one planned image.</summary>
    public float[] Pixels(PlannedImage image, string? attack)
    {
        ArgumentNullException.ThrowIfNull(image);
        var source = image.Adversarial ? Pool(attack ?? throw new ArgumentNullException(nameof(attack))).Pixels : Clean;
        return source.AsSpan(image.PoolIndex * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage).ToArray();
    }

    /// <summary>
    /// Generates <c>count</c> adversarial images (at most <see cref="MaxAdversarial"/>) for every attack of
    /// <paramref name="needs"/> against the model in <paramref name="modelDirectory"/>, seeded.
    /// </summary>
    /// <param name="traffic">The traffic images (<see cref="Workshop.CleanSample.TrafficImages"/>), at least <see cref="TrafficCount"/>.</param>
    public static ImagePools Build(string modelDirectory, MnistDataset traffic, IReadOnlyDictionary<string, (double? Epsilon, int Count)> needs, int seed, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(needs);
        if (traffic.Count < TrafficCount)
            throw new ArgumentException($"{traffic.Count} traffic images were given; the red team needs {TrafficCount}.", nameof(traffic));
        var clean = traffic.Pixels.AsSpan(CleanStart * MnistDataset.PixelsPerImage, CleanCount * MnistDataset.PixelsPerImage).ToArray();
        var pools = new Dictionary<string, AdversarialPool>(StringComparer.Ordinal);
        if (needs.Count == 0) return new ImagePools(clean, pools);

        var (model, _) = ModelStore.LoadSmallCnn(modelDirectory);
        using (model)
        {
            model.eval();
            foreach (var (attack, (epsilon, wanted)) in needs)
            {
                var count = Math.Clamp(wanted, 1, MaxAdversarial);
                progress?.Invoke($"Generating {count} {attack} images (eps {epsilon?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) …");
                var spec = AttackSpec.Parse(attack, epsilon ?? 0) with { Seed = seed };
                spec.Validate();
                pools[attack] = Generate(model, traffic, spec, count);
            }
        }

        return new ImagePools(clean, pools);
    }

    private static AdversarialPool Generate(nn.Module<Tensor, Tensor> model, MnistDataset traffic, AttackSpec spec, int count)
    {
        using var scope = NewDisposeScope();
        var images = traffic.ImagesTensor(AdversarialStart, count);
        var labels = traffic.LabelsTensor(AdversarialStart, count);
        var adversarial = AttackFactory.Create(spec).Generate(model, images, labels).contiguous();
        using var noGrad = no_grad();
        var correct = model.call(images).argmax(1).eq(labels);
        var flipped = correct.logical_and(model.call(adversarial).argmax(1).ne(labels));
        var success = flipped.sum().item<long>() / (double)Math.Max(1, correct.sum().item<long>());
        var pixels = new float[count * MnistDataset.PixelsPerImage];
        MemoryMarshal.Cast<byte, float>(adversarial.bytes).CopyTo(pixels);
        return new AdversarialPool(spec.Name, spec.IsBounded ? spec.Epsilon : null, pixels, count, success);
    }
}
