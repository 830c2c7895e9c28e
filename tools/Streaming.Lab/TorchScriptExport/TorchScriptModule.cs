using System.Text;
using static TorchSharp.torch;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// One TorchScript module class to write: its tensors (parameters and buffers, which become typed
/// attributes) and the statements of a <c>forward(images)</c> that assign one variable per output name.
/// <see cref="Source"/> prints the class the way torch.jit.save prints code/__torch__.py.
/// </summary>
public sealed record TorchScriptModule(
    string ClassName,
    IReadOnlyList<KeyValuePair<string, Tensor>> Parameters,
    IReadOnlyList<KeyValuePair<string, Tensor>> Buffers,
    IReadOnlyList<string> ForwardStatements,
    IReadOnlyList<string> OutputNames)
{
    /// <summary>Every tensor attribute, parameters first.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Tensors => Parameters.Concat(Buffers);

    /// <summary>The class in TorchScript source: attribute lists and annotations, then a typed forward returning a tuple.</summary>
    public string Source()
    {
        var code = new StringBuilder();
        code.Append("class ").Append(ClassName).Append("(Module):\n");
        code.Append("  __parameters__ = [").Append(string.Concat(Parameters.Select(p => $"\"{p.Key}\", "))).Append("]\n");
        code.Append("  __buffers__ = [").Append(string.Concat(Buffers.Select(b => $"\"{b.Key}\", "))).Append("]\n");
        foreach (var (name, _) in Tensors)
        {
            code.Append("  ").Append(name).Append(" : Tensor\n");
        }

        code.Append("  training : bool\n");
        code.Append("  def forward(self: __torch__.").Append(ClassName).Append(",\n");
        code.Append("    images: Tensor) -> Tuple[").Append(string.Join(", ", OutputNames.Select(_ => "Tensor"))).Append("]:\n");
        foreach (var statement in ForwardStatements)
        {
            code.Append("    ").Append(statement).Append('\n');
        }

        code.Append("    return (").Append(string.Join(", ", OutputNames)).Append(")\n");
        return code.ToString();
    }
}
