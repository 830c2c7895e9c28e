using ILGPU;
using ILGPU.Runtime;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// A layer's per-call buffers, sized for up to <see cref="Capacity"/> windows of <see cref="WindowCount"/>
/// samples and reused while calls fit (the Detector's batch size varies; an allocation per call would cost more than the kernels).
/// </summary>
internal sealed class WindowScratch : IDisposable
{
    public WindowScratch(Accelerator accelerator, int capacity, int windowCount, int referenceCount, int dimension)
    {
        Capacity = capacity;
        WindowCount = windowCount;
        long samples = (long)capacity * windowCount;
        Windows = accelerator.Allocate1D<float>(samples * dimension);
        WindowNorms = accelerator.Allocate1D<float>(samples);
        Cross = accelerator.Allocate1D<float>(samples * referenceCount);
        Within = accelerator.Allocate1D<float>(samples * windowCount);
        CrossRows = accelerator.Allocate1D<float>((long)capacity * referenceCount);
        ColumnAndRow = accelerator.Allocate1D<float>(samples);
        WithinRows = accelerator.Allocate1D<float>(samples);
        WithinDiagonal = accelerator.Allocate1D<float>(samples);
        Totals = accelerator.Allocate1D<double>(3L * capacity);
    }

    public int Capacity { get; }

    public int WindowCount { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Windows { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> WindowNorms { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Cross { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Within { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> CrossRows { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> ColumnAndRow { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> WithinRows { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> WithinDiagonal { get; }

    public MemoryBuffer1D<double, Stride1D.Dense> Totals { get; }

    public bool Fits(int batch, int windowCount) => batch <= Capacity && windowCount == WindowCount;

    public void Dispose()
    {
        Windows.Dispose();
        WindowNorms.Dispose();
        Cross.Dispose();
        Within.Dispose();
        CrossRows.Dispose();
        ColumnAndRow.Dispose();
        WithinRows.Dispose();
        WithinDiagonal.Dispose();
        Totals.Dispose();
    }
}
