using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// Writes a TorchScript archive of one module class with tensor attributes, in the layout
/// <c>torch.jit.save</c> produces and <c>torch.jit.load</c> reads (torch/csrc/jit/serialization/
/// export_module.cpp and import.cpp):
/// <list type="bullet">
/// <item><c>archive/data.pkl</c>: the module object, pickled as GLOBAL <c>__torch__.Class</c>, EMPTY_TUPLE
/// NEWOBJ, then BUILD with a dict of every attribute (<c>training</c> and each tensor as
/// <c>torch._utils._rebuild_tensor_v2</c> of a persistent storage id).</item>
/// <item><c>archive/data/N</c>: each storage's raw little-endian bytes.</item>
/// <item><c>archive/code/__torch__.py</c>: the TorchScript source of the class, compiled by libtorch at load.</item>
/// <item><c>archive/constants.pkl</c> (an empty tuple), <c>archive/version</c>, <c>archive/byteorder</c>.</item>
/// </list>
/// TorchSharp can load such a file but has no API to create one; this is the missing half.
/// </summary>
public static class TorchScriptArchiveWriter
{
    /// <summary>
    /// File format version 3: the oldest that stores code and pickled data (not model.json), and one
    /// every libtorch from 1.x to 2.x accepts. None of our ops changed meaning since (div is not used).
    /// </summary>
    public const int FileFormatVersion = 3;

    private const string ArchiveName = "archive";
    private const string TorchQualifier = "__torch__";

    /// <summary>
    /// Writes <paramref name="module"/>: its source as code/__torch__.py and an object whose attributes are
    /// its tensors plus <c>training</c> (false: saved for inference). Tensors are copied as contiguous float32 on the CPU.
    /// </summary>
    public static void Write(Stream output, TorchScriptModule module)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(module);
        var className = module.ClassName;
        var source = module.Source();
        var parameters = module.Tensors.ToArray();

        using var scope = NewDisposeScope();
        var storages = new List<byte[]>(parameters.Length);
        var pickle = new PickleWriter();
        pickle.Global(TorchQualifier, className);
        pickle.EmptyTuple();
        pickle.NewObject();
        pickle.EmptyDict();
        pickle.Mark();
        pickle.String("training");
        pickle.Bool(false);
        foreach (var (name, value) in parameters)
        {
            var tensor = value.detach().cpu().to_type(ScalarType.Float32).contiguous();
            var key = storages.Count.ToString(CultureInfo.InvariantCulture);
            storages.Add(tensor.bytes.ToArray());
            pickle.String(name);
            PickleTensor(pickle, key, tensor.shape);
        }

        pickle.SetItems();
        pickle.Build();

        var constants = new PickleWriter();
        constants.EmptyTuple();

        using var zip = new StoredZipWriter(output);
        zip.Add($"{ArchiveName}/data.pkl", pickle.ToBytes());
        zip.Add($"{ArchiveName}/code/{TorchQualifier}.py", Encoding.UTF8.GetBytes(source));
        for (var i = 0; i < storages.Count; i++)
        {
            zip.Add($"{ArchiveName}/data/{i}", storages[i]);
        }

        zip.Add($"{ArchiveName}/constants.pkl", constants.ToBytes());
        zip.Add($"{ArchiveName}/version", Encoding.ASCII.GetBytes($"{FileFormatVersion}\n"));
        zip.Add($"{ArchiveName}/byteorder", Encoding.ASCII.GetBytes(BitConverter.IsLittleEndian ? "little" : "big"));
        zip.Finish();
    }

    /// <summary>
    /// As pickler.cpp's pushLiteralTensor: _rebuild_tensor_v2(storage, offset 0, sizes, contiguous
    /// strides, requires_grad False, OrderedDict()) with the storage as persistent id
    /// ('storage', torch.FloatStorage, key, 'cpu', numel).
    /// </summary>
    private static void PickleTensor(PickleWriter pickle, string key, long[] shape)
    {
        var numel = shape.Aggregate(1L, (a, b) => a * b);
        var strides = new long[shape.Length];
        var stride = 1L;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }

        pickle.Global("torch._utils", "_rebuild_tensor_v2");
        pickle.Mark();
        pickle.Mark();
        pickle.String("storage");
        pickle.Global("torch", "FloatStorage");
        pickle.String(key);
        pickle.String("cpu");
        pickle.Int(numel);
        pickle.Tuple();
        pickle.BinaryPersistentId();
        pickle.Int(0);
        pickle.IntTuple(shape);
        pickle.IntTuple(strides);
        pickle.Bool(false);
        pickle.Global("collections", "OrderedDict");
        pickle.EmptyTuple();
        pickle.Reduce();
        pickle.Tuple();
        pickle.Reduce();
    }
}
