using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Streaming.Detection.Ilgpu;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>
/// No GPU here, but ILGPU's PTX backend compiles without one: every kernel of the window test must
/// compile to PTX for the H200 (sm_90), so a GPU run does not fail on an unsupported construct.
/// </summary>
public sealed class IlgpuPtxTests
{
    public static TheoryData<string> Kernels => [.. typeof(StatisticsKernels).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name)];

    public static TheoryData<string> ScoreKernelNames => [.. typeof(ScoreKernels).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_CompiledForSm90_GivesPtxEntry(string kernel) => AssertCompiles(typeof(StatisticsKernels), kernel);

    [Fact]
    public void LevelKernel_CompiledForSm90_GivesPtxEntry() => AssertCompiles(typeof(LevelKernels), nameof(LevelKernels.Levels));

    [Theory]
    [MemberData(nameof(ScoreKernelNames))]
    public void ScoreKernel_CompiledForSm90_GivesPtxEntry(string kernel) => AssertCompiles(typeof(ScoreKernels), kernel);

    private static void AssertCompiles(Type kernels, string kernel)
    {
        using var context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var method = kernels.GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)!;

        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);

        Assert.Contains(".entry", compiled.PTXAssembly);
        Assert.Matches(@"\.target sm_\d+", compiled.PTXAssembly);
    }
}
