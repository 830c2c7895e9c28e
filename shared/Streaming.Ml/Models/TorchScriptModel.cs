using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using Streaming.Ml.Capture;

namespace Streaming.Ml.Models;

/// <summary>
/// A model users bring as a TorchScript file (<c>torch.jit.save</c> in Python, or <c>TorchScriptExporter</c>
/// in tools/Streaming.Lab), loaded with <c>torch.jit.load</c>; served through <see cref="ScriptOutputCapture"/>.
/// <para>
/// Limitation (TorchSharp 0.107): a ScriptModule's forward runs inside libtorch's interpreter, so the
/// managed forward hooks that <see cref="ActivationCapture"/> uses never fire on its submodules, and
/// TorchSharp exposes no native hook API for script modules. Named inner layers therefore cannot be
/// captured. What can be captured are the module's outputs: a module that returns a tuple of tensors
/// (e.g. <c>return logits, block3_out, block1_out</c>) yields one layer per element, named by
/// <see cref="OutputNames"/> (or <c>output0</c>, <c>output1</c>, … when not given). The caller flattens
/// or pools them like any other captured layer.
/// </para>
/// </summary>
public sealed class TorchScriptModel : IDisposable
{
    private readonly jit.ScriptModule _module;

    private TorchScriptModel(jit.ScriptModule module, string path, IReadOnlyList<string>? outputNames)
    {
        _module = module;
        Path = path;
        OutputNames = outputNames;
    }

    public string Path { get; }

    /// <summary>Names of the tuple elements of the module's output, in order; null for output0, output1, ….</summary>
    public IReadOnlyList<string>? OutputNames { get; }

    /// <summary>The submodule names libtorch reports (informational: they cannot be hooked, see the class remarks).</summary>
    public IReadOnlyList<string> SubmoduleNames =>
        _module.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToArray();

    /// <summary>Loads <paramref name="path"/> in eval mode; throws naming the file when it is missing or not TorchScript.</summary>
    public static TorchScriptModel Load(string path, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"TorchScript model '{fullPath}' does not exist.", fullPath);
        }

        jit.ScriptModule module;
        try
        {
            module = jit.load(fullPath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"'{fullPath}' is not a loadable TorchScript file (save it with torch.jit.save of a scripted or traced module): {ex.Message}", ex);
        }

        module.eval();
        return new TorchScriptModel(module, fullPath, outputNames);
    }

    /// <summary>
    /// One forward pass under inference mode; every output tensor as [N, ...] float values per name.
    /// A single-tensor output is one layer. Tensors are scoped; values are bulk-copied.
    /// </summary>
    public IReadOnlyList<LayerVectors> Run(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var tensors = Forward(input);
        var layers = new LayerVectors[tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            var flat = tensors[i].flatten(1).to_type(ScalarType.Float32).contiguous();
            var values = MemoryMarshal.Cast<byte, float>(flat.bytes).ToArray();
            layers[i] = new LayerVectors(OutputNames?[i] ?? $"output{i}", (int)flat.shape[1], values);
        }

        return layers;
    }

    /// <summary>
    /// The module's output tensors, in tuple order, checked against <see cref="OutputNames"/>. They belong to
    /// the caller's dispose scope; the caller chooses inference mode.
    /// </summary>
    public IReadOnlyList<Tensor> Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        object output;
        try
        {
            output = _module.call(input);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"TorchScript model '{Path}' failed on an input of shape [{string.Join(", ", input.shape)}]: {ex.Message}", ex);
        }

        var tensors = Outputs(output);
        if (OutputNames is not null && OutputNames.Count != tensors.Count)
        {
            throw new InvalidOperationException(
                $"TorchScript model '{Path}' returned {tensors.Count} tensor(s) but {OutputNames.Count} output names were configured ({string.Join(", ", OutputNames)}).");
        }

        return tensors;
    }

    public void Dispose() => _module.Dispose();

    private List<Tensor> Outputs(object output)
    {
        switch (output)
        {
            case Tensor tensor:
                return [tensor];
            case IEnumerable<Tensor> sequence:
                return sequence.ToList();
            case object[] items when items.All(i => i is Tensor):
                return items.Cast<Tensor>().ToList();
            case ITuple tuple:
                var list = new List<Tensor>(tuple.Length);
                for (var i = 0; i < tuple.Length; i++)
                {
                    list.Add(tuple[i] as Tensor ?? throw new InvalidOperationException(
                        $"TorchScript model '{Path}' output element {i} is {tuple[i]?.GetType().Name ?? "null"}, not a tensor."));
                }

                return list;
            default:
                throw new InvalidOperationException(
                    $"TorchScript model '{Path}' returned {output?.GetType().Name ?? "null"}; expected a tensor or a tuple of tensors.");
        }
    }
}
