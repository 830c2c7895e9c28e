using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Streaming.Detection.Ilgpu;

/// <summary>Finds the accelerator an <see cref="IlgpuTarget"/> asks for.</summary>
public static class IlgpuDevices
{
    /// <summary>True when ILGPU finds a CUDA GPU (the NVIDIA driver is installed and sees a device).</summary>
    public static bool CudaAvailable()
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count > 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The target's context and accelerator with the kernels <paramref name="load"/> compiles on it; when loading
    /// fails both are released before the exception goes on, so a backend never holds a device it cannot use.
    /// </summary>
    internal static (Context Context, Accelerator Accelerator, TKernels Kernels) Open<TKernels>(IlgpuTarget target, Func<Accelerator, TKernels> load)
    {
        var (context, accelerator) = Create(target);
        try
        {
            return (context, accelerator, load(accelerator));
        }
        catch
        {
            accelerator.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>How a backend names its device in the Detector's start-up log.</summary>
    internal static string Describe(Accelerator accelerator) => $"ILGPU {accelerator.AcceleratorType} {accelerator.Name}";

    internal static (Context Context, Accelerator Accelerator) Create(IlgpuTarget target)
    {
        bool cuda = target switch
        {
            IlgpuTarget.Cpu => false,
            IlgpuTarget.Cuda => CudaAvailable() ? true : throw new InvalidOperationException("ILGPU found no CUDA GPU (no NVIDIA driver or no device)."),
            _ => CudaAvailable(),
        };
        var context = Context.Create(builder =>
        {
            builder.Optimize(OptimizationLevel.O1);
            // ILGPU.Algorithms' math: the PTX backend has no intrinsic for exp otherwise.
            builder.EnableAlgorithms();
            if (cuda)
            {
                builder.Cuda();
            }
            else
            {
                builder.CPU();
            }
        });
        try
        {
            Accelerator accelerator = cuda ? context.CreateCudaAccelerator(0) : context.CreateCPUAccelerator(0);
            return (context, accelerator);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }
}
