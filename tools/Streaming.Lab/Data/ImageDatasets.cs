namespace Streaming.Lab.Data;

/// <summary>The data sets a model can be trained and calibrated on, by the name stored in its manifest.</summary>
public static class ImageDatasets
{
    public const string Mnist = "mnist";
    public const string FashionMnist = "fashion-mnist";

    public static IReadOnlyList<string> Names { get; } = [Mnist, FashionMnist];

    /// <summary>Loads <paramref name="split"/> of data set <paramref name="name"/> from where infra/fetch-data.sh puts it under <paramref name="repoRoot"/>.</summary>
    public static MnistDataset Load(string name, string repoRoot, MnistSplit split, int? limit = null) => name switch
    {
        Mnist => MnistDataset.Load(DataPaths.DefaultMnistDirectory(repoRoot), split, limit),
        FashionMnist => Streaming.Lab.Data.FashionMnist.Load(Streaming.Lab.Data.FashionMnist.DefaultDirectory(repoRoot), split, limit),
        _ => throw new ArgumentException($"Unknown data set '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
    };
}
