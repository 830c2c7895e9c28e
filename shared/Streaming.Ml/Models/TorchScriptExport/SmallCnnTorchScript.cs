using System.Text;
using static TorchSharp.torch;

namespace Streaming.Ml;

/// <summary>
/// <see cref="SmallCnn"/> as a TorchScript module: its trained weights and a forward written in
/// TorchScript source with the same ops, returning <c>(logits, conv1, conv2, fc1)</c>, the tensors
/// <see cref="ActivationCapture"/>'s hooks see on the native model (each layer's output before its ReLU).
/// Inner layers of a script module cannot be hooked from TorchSharp, so what is captured must be an output.
/// </summary>
public static class SmallCnnTorchScript
{
    public const string ClassName = "SmallCnn";

    /// <summary>The tuple elements of the exported forward, in order; the first is the class scores.</summary>
    public static IReadOnlyList<string> OutputNames { get; } = ["logits", "conv1", "conv2", "fc1"];

    /// <summary>
    /// The outputs reduced as <see cref="LayerCaptureSpec.SmallCnnDefaults"/> reduces the native layers
    /// (conv maps pooled, vectors flattened), in output order, so both give the same vectors.
    /// </summary>
    public static IReadOnlyList<LayerCaptureSpec> DefaultOutputs { get; } =
        OutputNames.Select(name => LayerCaptureSpec.SmallCnnDefaults.Single(spec => spec.Layer == name)).ToArray();

    private static readonly string[] Layers = ["conv1", "conv2", "fc1", "logits"];

    /// <summary>Writes <paramref name="model"/> as a TorchScript file that <c>torch.jit.load</c> reads.</summary>
    public static void Export(SmallCnn model, Stream output)
    {
        ArgumentNullException.ThrowIfNull(model);
        var native = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        var parameters = new List<KeyValuePair<string, Tensor>>();
        foreach (var layer in Layers)
        {
            foreach (var part in (string[])["weight", "bias"])
            {
                var name = $"{layer}.{part}";
                var tensor = native.TryGetValue(name, out var found)
                    ? found
                    : throw new InvalidOperationException($"SmallCnn has no parameter '{name}'; parameters: {string.Join(", ", native.Keys)}.");
                parameters.Add(new(AttributeName(name), tensor));
            }
        }

        TorchScriptArchiveWriter.Write(output, ClassName, Source(parameters.Select(p => p.Key)), parameters);
    }

    /// <summary>Writes the file through a temporary name, so a failed export leaves no half-written model.</summary>
    public static void Export(SmallCnn model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".tmp";
        using (var file = File.Create(temporary))
        {
            Export(model, file);
        }

        File.Move(temporary, fullPath, overwrite: true);
    }

    private static string AttributeName(string parameter) => parameter.Replace('.', '_');

    /// <summary>The class as torch.jit.save would print it (two-space indentation, attribute annotations).</summary>
    private static string Source(IEnumerable<string> attributes)
    {
        var names = attributes.ToArray();
        var code = new StringBuilder();
        code.Append("class ").Append(ClassName).Append("(Module):\n");
        code.Append("  __parameters__ = [").Append(string.Concat(names.Select(n => $"\"{n}\", "))).Append("]\n");
        code.Append("  __buffers__ = []\n");
        foreach (var name in names)
        {
            code.Append("  ").Append(name).Append(" : Tensor\n");
        }

        code.Append("  training : bool\n");
        code.Append($$"""
              def forward(self: __torch__.{{ClassName}},
                images: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
                conv1 = torch.conv2d(images, self.conv1_weight, self.conv1_bias)
                x = torch.max_pool2d(torch.relu(conv1), [2, 2], [2, 2])
                conv2 = torch.conv2d(x, self.conv2_weight, self.conv2_bias)
                x0 = torch.max_pool2d(torch.relu(conv2), [2, 2], [2, 2])
                fc1 = torch.linear(torch.flatten(x0, 1), self.fc1_weight, self.fc1_bias)
                logits = torch.linear(torch.relu(fc1), self.logits_weight, self.logits_bias)
                return (logits, conv1, conv2, fc1)

            """.Replace("\r\n", "\n"));
        return code.ToString();
    }
}
