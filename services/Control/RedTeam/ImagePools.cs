using System.Runtime.InteropServices;
using Streaming.Ml;
using Streaming.Ml.Attacks;
using static TorchSharp.torch;

namespace Streaming.Control.RedTeam;

/// <summary>
/// The images the red team sends. Clean ones are MNIST test images [<see cref="CleanStart"/>,
/// +<see cref="CleanCount"/>), adversarial ones are generated from the next <see cref="MaxAdversarial"/>
/// images: all from the homogeneous first half of the test set that the default reference is calibrated on
/// (images 0-999), disjoint from it, so clean traffic differs from the reference by chance alone.
/// </summary>
public sealed class ImagePools
{
    public const int CleanStart = 1000;
    public const int CleanCount = 2000;
    public const int AdversarialStart = CleanStart + CleanCount;
    public const int MaxAdversarial = 2000;

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
    public static ImagePools Build(string modelDirectory, MnistDataset test, IReadOnlyDictionary<string, (double? Epsilon, int Count)> needs, int seed, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(needs);
        if (test.Count < AdversarialStart + MaxAdversarial)
            throw new ArgumentException($"The MNIST test set has {test.Count} images; the red team needs {AdversarialStart + MaxAdversarial}.", nameof(test));
        var clean = test.Pixels.AsSpan(CleanStart * MnistDataset.PixelsPerImage, CleanCount * MnistDataset.PixelsPerImage).ToArray();
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
                pools[attack] = Generate(model, test, spec, count);
            }
        }

        return new ImagePools(clean, pools);
    }

    private static AdversarialPool Generate(nn.Module<Tensor, Tensor> model, MnistDataset test, AttackSpec spec, int count)
    {
        using var scope = NewDisposeScope();
        var images = test.ImagesTensor(AdversarialStart, count);
        var labels = test.LabelsTensor(AdversarialStart, count);
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
