using Streaming.Detection.Ilgpu;
using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;
using static Streaming.UnitTests.Detection.Backends.RealShapedData;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>
/// The subset scan's per-event levels on ILGPU's CPU accelerator against the CPU path: binary searches
/// and table lookups only, so every level must be the CPU's exactly.
/// </summary>
public sealed class IlgpuScanLevelTests
{
    [Theory]
    [InlineData(PValueTail.Upper)]
    [InlineData(PValueTail.TwoSided)]
    public void EventLevels_RealShapedConditionalScanner_SameRowsAsCpu(PValueTail tail)
    {
        var options = new SubsetScanOptions { Tail = tail };
        var cpu = WindowScanner.Create(Set, options)!;
        using var backend = new IlgpuScanLevelBackend(IlgpuTarget.Cpu);
        var device = WindowScanner.Create(Set, options, levelBackend: backend)!;
        var (layers, predicted) = Events(100, seed: 291);

        var expected = cpu.EventLevels(layers, predicted);
        var actual = device.EventLevels(layers, predicted);

        Assert.True(cpu.Conditional);
        Assert.Contains("ILGPU", device.LevelBackendDescription);
        Assert.Equal(predicted.Count(p => p is null), actual.Count(r => r is null));
        for (int e = 0; e < expected.Length; e++)
        {
            Assert.Equal(expected[e] is null, actual[e] is null);
            if (expected[e] is { } row)
            {
                Assert.Equal(row.Levels, actual[e]!.Levels);
                // Each batched row is also the single-event CPU row.
                Assert.Equal(cpu.EventLevels([.. layers.Select(l => l[e])], predicted[e])!.Levels, actual[e]!.Levels);
            }
        }
        // Not trivial: the shifted events reach the small thresholds on some nodes.
        Assert.Contains(actual.Where(r => r is not null).SelectMany(r => r!.Levels), level => level == 0);
    }

    [Fact]
    public void EventLevels_UnconditionalScannerOnDevice_SameScanAsCpu()
    {
        // A reference without labels: one background group, every event scanned.
        var split = Set.Calibration!;
        var unlabelled = Set with
        {
            Calibration = new CalibrationSplit(
                [.. split.ReferenceLabels.Select(_ => CalibrationSplit.NoLabel)], split.Count, split.Vectors,
                [.. split.Labels.Select(_ => CalibrationSplit.NoLabel)], split.Seed, split.Source),
        };
        var cpu = WindowScanner.Create(unlabelled, nullOptions: new ScanNullOptions { Windows = 50 })!;
        using var backend = new IlgpuScanLevelBackend(IlgpuTarget.Cpu);
        var device = WindowScanner.Create(unlabelled, nullOptions: new ScanNullOptions { Windows = 50 }, levelBackend: backend)!;
        var (layers, _) = Events(30, seed: 292);
        var none = new int?[30];

        var expected = cpu.Scan(cpu.EventLevels(layers, none));
        var actual = device.Scan(device.EventLevels(layers, none));

        Assert.False(device.Conditional);
        Assert.NotNull(actual);
        Assert.Equal(expected!.PValue, actual!.PValue);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.Nodes, actual.Nodes);
    }

    [Fact]
    public void Load_Twice_Throws()
    {
        using var backend = new IlgpuScanLevelBackend(IlgpuTarget.Cpu);
        _ = WindowScanner.Create(Set, levelBackend: backend);

        Assert.Throws<InvalidOperationException>(() => WindowScanner.Create(Set, levelBackend: backend));
    }
}
