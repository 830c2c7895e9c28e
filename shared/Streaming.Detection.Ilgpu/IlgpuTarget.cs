namespace Streaming.Detection.Ilgpu;

/// <summary>Which ILGPU accelerator runs the kernels.</summary>
public enum IlgpuTarget
{
    /// <summary>The first CUDA GPU when the NVIDIA driver finds one, the CPU accelerator otherwise.</summary>
    Auto,

    /// <summary>The first CUDA GPU; fails when there is none.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: runs the same kernels on managed threads, for tests (slow).</summary>
    Cpu,
}
