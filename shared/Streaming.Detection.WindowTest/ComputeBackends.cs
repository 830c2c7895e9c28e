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

    /// <summary>
    /// The per-input score backend Detector:Backend asks for: ILGPU (on a CUDA GPU when there is one)
    /// for ILGPU, and for Auto only with a CUDA GPU; null means the scorer's own CPU path.
    /// </summary>
    public static IInputScoreBackend? CreateInputScores(ComputeBackend setting) => setting switch
    {
        ComputeBackend.TorchSharp => null,
        ComputeBackend.Ilgpu => new IlgpuInputScoreBackend(IlgpuTarget.Auto),
        ComputeBackend.Auto => IlgpuDevices.CudaAvailable() ? new IlgpuInputScoreBackend(IlgpuTarget.Cuda) : null,
        _ => throw new InvalidOperationException($"Detector:Backend is {(int)setting}; it must be TorchSharp, ILGPU or Auto."),
    };

    /// <summary>The subset scan's level backend Detector:Backend asks for, as <see cref="CreateInputScores"/> chooses; null means the CPU.</summary>
    public static IScanLevelBackend? CreateScanLevels(ComputeBackend setting) => setting switch
    {
        ComputeBackend.TorchSharp => null,
        ComputeBackend.Ilgpu => new IlgpuScanLevelBackend(IlgpuTarget.Auto),
        ComputeBackend.Auto => IlgpuDevices.CudaAvailable() ? new IlgpuScanLevelBackend(IlgpuTarget.Cuda) : null,
        _ => throw new InvalidOperationException($"Detector:Backend is {(int)setting}; it must be TorchSharp, ILGPU or Auto."),
    };
}
