using Streaming.Ml.Capture;

namespace Streaming.Ml.Models;

/// <summary>The built-in architectures by name, so train, serve and calibrate work for any of them.</summary>
public static class ModelCatalog
{
    public const string SmallCnnName = "small-cnn";
    public const string ResNetSmallName = "resnet-small";
    public const string AutoencoderName = "autoencoder";

    private static readonly ModelDefinition[] Definitions =
    [
        new(SmallCnnName, ModelTask.Classification, seed => SmallCnn.Create(seed), LayerCaptureSpec.SmallCnnDefaults),
        new(ResNetSmallName, ModelTask.Classification, seed => ResNetSmall.Create(seed),
        [
            new("stem", LayerReduction.GlobalAveragePool),
            new("block1", LayerReduction.GlobalAveragePool),
            new("block2", LayerReduction.GlobalAveragePool),
            new("block3", LayerReduction.GlobalAveragePool),
            new("block4", LayerReduction.GlobalAveragePool),
            new("logits", LayerReduction.Flatten),
        ]),
        new(AutoencoderName, ModelTask.Reconstruction, seed => ConvAutoencoder.Create(seed),
        [
            new("encoder1", LayerReduction.GlobalAveragePool),
            new("encoder2", LayerReduction.GlobalAveragePool),
            new("bottleneck", LayerReduction.Flatten),
            new("decoder1", LayerReduction.GlobalAveragePool),
            new("recon_error", LayerReduction.Flatten),
        ]),
    ];

    public static IReadOnlyList<ModelDefinition> All => Definitions;

    public static IReadOnlyList<string> Names { get; } = Definitions.Select(d => d.Name).ToArray();

    /// <summary>The definition named <paramref name="name"/>; throws naming the known models otherwise.</summary>
    public static ModelDefinition Get(string name) =>
        Definitions.FirstOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"Unknown model '{name}'; known models: {string.Join(", ", Names)}.", nameof(name));

    public static bool TryGet(string name, out ModelDefinition definition)
    {
        definition = Definitions.FirstOrDefault(d => d.Name == name)!;
        return definition is not null;
    }
}
