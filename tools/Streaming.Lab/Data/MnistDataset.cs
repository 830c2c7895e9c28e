using Streaming.Ml.Models;
using static TorchSharp.torch;

namespace Streaming.Lab.Data;

/// <summary>
/// 28x28 grey images (pixels scaled to [0,1]) and labels held in managed arrays: MNIST, and the common
/// in-memory type of every image data set here (Fashion-MNIST loads into it too, see <see cref="FashionMnist"/>).
/// </summary>
public sealed class MnistDataset
{
    public const int ImageSide = ModelInput.ImageSide;
    public const int PixelsPerImage = ModelInput.PixelsPerImage;

    private MnistDataset(float[] pixels, int[] labels)
    {
        Pixels = pixels;
        Labels = labels;
    }

    public int Count => Labels.Length;

    /// <summary>Row-major pixels, <see cref="PixelsPerImage"/> per image, in [0,1].</summary>
    public float[] Pixels { get; }

    public int[] Labels { get; }

    /// <summary>Wraps <paramref name="pixels"/> (count*784 values in [0,1]) and their <paramref name="labels"/> without copying.</summary>
    public static MnistDataset FromArrays(float[] pixels, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != labels.Length * PixelsPerImage)
        {
            throw new ArgumentException(
                $"{labels.Length} labels need {labels.Length * PixelsPerImage} pixels, got {pixels.Length}.", nameof(pixels));
        }

        return new MnistDataset(pixels, labels);
    }

    /// <summary>Reads the IDX files of <paramref name="split"/> from <paramref name="dataDirectory"/>; the first <paramref name="limit"/> images only when given.</summary>
    public static MnistDataset Load(string dataDirectory, MnistSplit split, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must not be negative.");
        }

        var prefix = split == MnistSplit.Train ? "train" : "t10k";
        var (imageDims, imageBytes) = IdxReader.Read(dataDirectory, $"{prefix}-images-idx3-ubyte", 3, limit);
        var (labelDims, labelBytes) = IdxReader.Read(dataDirectory, $"{prefix}-labels-idx1-ubyte", 1, limit);

        if (imageDims[1] != ImageSide || imageDims[2] != ImageSide)
        {
            throw new InvalidDataException(
                $"MNIST images in '{dataDirectory}' are {imageDims[1]}x{imageDims[2]}, expected {ImageSide}x{ImageSide}.");
        }

        if (imageDims[0] != labelDims[0])
        {
            throw new InvalidDataException(
                $"MNIST {split} files in '{dataDirectory}' disagree: {imageDims[0]} images but {labelDims[0]} labels.");
        }

        var pixels = new float[imageBytes.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = imageBytes[i] / 255f;
        }

        var labels = new int[labelBytes.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
        }

        return new MnistDataset(pixels, labels);
    }

    /// <summary>Images <paramref name="start"/>..start+count as a new float32 tensor [count,1,28,28].</summary>
    public Tensor ImagesTensor(int start, int count)
    {
        CheckRange(start, count);
        var slice = Pixels.AsSpan(start * PixelsPerImage, count * PixelsPerImage).ToArray();
        return tensor(slice, [count, 1, ImageSide, ImageSide], ScalarType.Float32);
    }

    /// <summary>Labels <paramref name="start"/>..start+count as a new int64 tensor [count].</summary>
    public Tensor LabelsTensor(int start, int count)
    {
        CheckRange(start, count);
        var slice = new long[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = Labels[start + i];
        }

        return tensor(slice, [count], ScalarType.Int64);
    }

    private void CheckRange(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start), $"Range [{start}, {start + count}) is outside the data set of {Count} images.");
        }
    }
}
