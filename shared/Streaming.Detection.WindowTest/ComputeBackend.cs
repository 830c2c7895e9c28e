namespace Streaming.Detection.WindowTest;

/// <summary>Detector:Backend, what computes the window MMD statistics (and, with ILGPU, the per-input scores' distances and the scan's levels).</summary>
public enum ComputeBackend
{
    /// <summary>TorchSharp on Detector:Device.</summary>
    TorchSharp,

    /// <summary>ILGPU kernels: the first CUDA GPU, or ILGPU's CPU accelerator when there is none (for tests).</summary>
    Ilgpu,

    /// <summary>ILGPU when it finds a CUDA GPU, TorchSharp otherwise.</summary>
    Auto,
}
