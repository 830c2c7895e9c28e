using Streaming.Detection.Compute;
using Streaming.Detection.Ilgpu;

namespace Streaming.Detection.WindowTest;

public static class ComputeBackends
{
    /// <summary>
    /// The statistics backend Detector:Backend asks for; null means the window tester's own
    /// TorchSharp backend on Detector:Device.
    /// </summary>
    public static IWindowStatisticsBackend? Create(ComputeBackend setting) => setting switch
    {
        ComputeBackend.TorchSharp => null,
        ComputeBackend.Ilgpu => new IlgpuStatisticsBackend(IlgpuTarget.Auto),
        ComputeBackend.Auto => IlgpuDevices.CudaAvailable() ? new IlgpuStatisticsBackend(IlgpuTarget.Cuda) : null,
        _ => throw new InvalidOperationException($"Detector:Backend is {(int)setting}; it must be TorchSharp, ILGPU or Auto."),
    };
}
