using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

internal static class TensorTransfer
{
    public static Tensor Upload(float[] rowMajor, long rows, long columns, Device device) =>
        torch.tensor(rowMajor, [rows, columns], ScalarType.Float32, device);

    /// <summary>One bulk copy to host memory (one device-to-host transfer on a GPU).</summary>
    public static float[] Download(Tensor values)
    {
        using var host = values.to(ScalarType.Float32).cpu().contiguous();
        return MemoryMarshal.Cast<byte, float>(host.bytes).ToArray();
    }

    /// <summary>One bulk copy of a float64 tensor to host memory.</summary>
    public static double[] DownloadDoubles(Tensor values)
    {
        using var host = values.to(ScalarType.Float64).cpu().contiguous();
        return MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
    }

    public static bool SameDevice(Device a, Device b) =>
        a.type == b.type && Math.Max(a.index, (short)0) == Math.Max(b.index, (short)0);
}
