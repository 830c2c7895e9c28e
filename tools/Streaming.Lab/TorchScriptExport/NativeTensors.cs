using static TorchSharp.torch;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// A native module's parameters and buffers by their dotted names (block1.conv1.weight), handed out under
/// TorchScript attribute names (block1_conv1_weight) in the order an exporter asks for them.
/// </summary>
internal sealed class NativeTensors(nn.Module model)
{
    private readonly Dictionary<string, Tensor> _parameters =
        model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);

    private readonly Dictionary<string, Tensor> _buffers =
        model.named_buffers().ToDictionary(b => b.name, b => b.buffer, StringComparer.Ordinal);

    public List<KeyValuePair<string, Tensor>> Parameters { get; } = [];

    public List<KeyValuePair<string, Tensor>> Buffers { get; } = [];

    public bool HasParameter(string name) => _parameters.ContainsKey(name);

    /// <summary>Adds parameter <paramref name="name"/> and returns the expression that reads it in forward.</summary>
    public string Parameter(string name)
    {
        var tensor = _parameters.TryGetValue(name, out var found)
            ? found
            : throw new InvalidOperationException($"{model.GetName()} has no parameter '{name}'; parameters: {string.Join(", ", _parameters.Keys)}.");
        return Add(Parameters, name, tensor);
    }

    /// <summary>Adds buffer <paramref name="name"/> (e.g. a batch norm's running mean) and returns its expression.</summary>
    public string Buffer(string name)
    {
        var tensor = _buffers.TryGetValue(name, out var found)
            ? found
            : throw new InvalidOperationException($"{model.GetName()} has no buffer '{name}'; buffers: {string.Join(", ", _buffers.Keys)}.");
        return Add(Buffers, name, tensor);
    }

    private static string Add(List<KeyValuePair<string, Tensor>> list, string name, Tensor tensor)
    {
        var attribute = name.Replace('.', '_');
        if (!list.Any(p => p.Key == attribute))
        {
            list.Add(new(attribute, tensor));
        }

        return "self." + attribute;
    }
}
