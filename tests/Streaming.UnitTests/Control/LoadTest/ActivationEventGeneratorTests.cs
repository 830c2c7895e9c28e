using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.Contracts.Validation;
using Streaming.Control.LoadTest;
using Streaming.Detection;
using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Control.LoadTest;

public sealed class ActivationEventGeneratorTests
{
    private static readonly string[] Layers = ["conv1", "fc1"];
    private static readonly int[] Dimensions = [3, 5];
    private static readonly Dictionary<string, string> AttackAttributes = new() { ["attack"] = "fgsm", ["epsilon"] = "0.3" };

    [Fact]
    public void Next_NoAttackShare_ValidEventsOfCleanRowsWithEveryLayerAndTheGivenHeader()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var clean = Pool(rows: 20, offset: 0);
        var generator = new ActivationEventGenerator("small-cnn", "v1", clean, Pool(rows: 20, offset: 1000), AttackAttributes, seed: 1, time);

        var events = generator.Next("load-clean", 0, 50);

        Assert.Equal(50, events.Count);
        Assert.Equal(50, events.Select(e => e.Header.EventId).Distinct().Count());
        var expected = Layers.Zip(Dimensions).ToDictionary(x => x.First, x => x.Second);
        foreach (var e in events)
        {
            Assert.Empty(EventRules.CheckActivation(e, time.GetUtcNow(), expected).Items);
            Assert.Equal(("small-cnn", "v1", "load-clean"), (e.Header.Model, e.Header.ModelVersion, e.Header.StreamId));
            Assert.Equal(time.GetUtcNow(), e.Header.Timestamp.ToDateTimeOffset());
            Assert.Equal("none", e.Attributes["attack"]);
            var row = RowOf(e, clean, offset: 0);
            Assert.Equal(clean.Labels[row], e.PredictedClass);
            Assert.True(e.Confidence > 0);
        }
    }

    [Fact]
    public void Next_AttackShareOne_EveryEventIsAnAttackedRowWithTheAttackAttributes()
    {
        var attacked = Pool(rows: 20, offset: 1000);
        var generator = new ActivationEventGenerator("small-cnn", "v1", Pool(rows: 20, offset: 0), attacked, AttackAttributes, seed: 2, TimeProvider.System);

        var events = generator.Next("load-attack", 1, 40);

        Assert.All(events, e =>
        {
            RowOf(e, attacked, offset: 1000);
            Assert.Equal("fgsm", e.Attributes["attack"]);
            Assert.Equal("0.3", e.Attributes["epsilon"]);
        });
    }

    [Fact]
    public void Next_HalfAttackShare_MixesBothPoolsAndDrawsRowsAcrossThePool()
    {
        var generator = new ActivationEventGenerator("small-cnn", "v1", Pool(rows: 20, offset: 0), Pool(rows: 20, offset: 1000), AttackAttributes, seed: 3, TimeProvider.System);

        var events = generator.Next("load-mix", 0.5, 2000);

        var attackedShare = events.Count(e => e.Attributes["attack"] == "fgsm") / 2000.0;
        Assert.InRange(attackedShare, 0.45, 0.55);
        // Row r's first value is offset + r: every one of the 20 clean rows is drawn.
        Assert.Equal(20, events.Where(e => e.Attributes["attack"] == "none").Select(e => e.Layers[0].Values[0]).Distinct().Count());
    }

    [Fact]
    public void Next_SameSeed_SameRowsInTheSameOrder()
    {
        var a = new ActivationEventGenerator("m", "1", Pool(20, 0), Pool(20, 1000), AttackAttributes, seed: 7, TimeProvider.System);
        var b = new ActivationEventGenerator("m", "1", Pool(20, 0), Pool(20, 1000), AttackAttributes, seed: 7, TimeProvider.System);

        Assert.Equal(a.Next("s", 0.5, 30).Select(e => e.Layers[0].Values[0]), b.Next("s", 0.5, 30).Select(e => e.Layers[0].Values[0]));
    }

    [Fact]
    public void Next_AttackShareWithoutAttackedPool_Throws()
    {
        var generator = new ActivationEventGenerator("m", "1", Pool(5, 0), null, AttackAttributes, seed: 1, TimeProvider.System);

        Assert.Single(generator.Next("s", 0, 1));
        Assert.Throws<InvalidOperationException>(() => generator.Next("s", 0.1, 1));
    }

    [Fact]
    public void Constructor_AttackedPoolOfOtherLayers_ThrowsNamingBoth()
    {
        var other = new ActivationPool(["conv1"], [3], [new float[6]], [0, 1]);

        var ex = Assert.Throws<ArgumentException>(() => new ActivationEventGenerator("m", "1", Pool(5, 0), other, AttackAttributes, 1, TimeProvider.System));

        Assert.Contains("conv1[3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fc1[5]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromReference_WithCalibrationSplit_DrawsTheHeldOutRowsNotTheReference()
    {
        var reference = Reference(withCalibration: true);

        var pool = ActivationPool.FromReference(reference);

        Assert.Equal(4, pool.Count);
        Assert.Equal(Layers, pool.Layers);
        Assert.Equal(Dimensions, pool.Dimensions);
        Assert.Equal(reference.Calibration!.Vectors[1], pool.Vectors[1]);
        Assert.Equal([5, 6, 7, 8], pool.Labels);
    }

    [Fact]
    public void FromReference_WithoutCalibrationSplit_DrawsTheReferenceRowsWithoutLabels()
    {
        var reference = Reference(withCalibration: false);

        var pool = ActivationPool.FromReference(reference);

        Assert.Equal(3, pool.Count);
        Assert.Equal(reference.Layers[0].Vectors, pool.Vectors[0]);
        var e = Assert.Single(new ActivationEventGenerator("m", "1", pool, null, AttackAttributes, 1, TimeProvider.System).Next("s", 0, 1));
        Assert.Equal(0f, e.Confidence);
    }

    [Fact]
    public void FromCapture_MissingLayer_ThrowsNamingIt()
    {
        var byLayer = new Dictionary<string, float[][]> { ["conv1"] = [[1, 2, 3]] };

        var ex = Assert.Throws<ArgumentException>(() => ActivationPool.FromCapture(Layers, byLayer, [0]));

        Assert.Contains("'fc1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromCapture_RowsFlattenedInLayerOrder()
    {
        var byLayer = new Dictionary<string, float[][]> { ["fc1"] = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], ["conv1"] = [[1, 2, 3], [4, 5, 6]] };

        var pool = ActivationPool.FromCapture(Layers, byLayer, [3, 4]);

        Assert.Equal([4f, 5, 6], pool.Row(0, 1).ToArray());
        Assert.Equal([6f, 7, 8, 9, 10], pool.Row(1, 1).ToArray());
    }

    /// <summary>Row r holds offset + r in its first value and distinct values elsewhere; its label is r % 10.</summary>
    private static ActivationPool Pool(int rows, int offset)
    {
        var vectors = Dimensions.Select((d, l) =>
        {
            var values = new float[rows * d];
            for (var r = 0; r < rows; r++)
            {
                for (var j = 0; j < d; j++)
                    values[r * d + j] = offset + r + l * 0.25f + j * 0.01f;
            }

            return values;
        }).ToList();
        return new ActivationPool(Layers, Dimensions, vectors, [.. Enumerable.Range(0, rows).Select(r => r % 10)]);
    }

    /// <summary>The pool row the event carries (every layer must match it exactly).</summary>
    private static int RowOf(ActivationEvent e, ActivationPool pool, int offset)
    {
        Assert.Equal(Layers, e.Layers.Select(l => l.Layer));
        var row = (int)MathF.Round(e.Layers[0].Values[0] - offset);
        Assert.InRange(row, 0, pool.Count - 1);
        for (var l = 0; l < Layers.Length; l++)
            Assert.Equal(pool.Row(l, row).ToArray(), e.Layers[l].Values.ToArray());
        return row;
    }

    private static ReferenceSet Reference(bool withCalibration)
    {
        var layers = new List<LayerReference>
        {
            new("conv1", 3, 3, [.. Enumerable.Range(0, 9).Select(i => (float)i)], 1),
            new("fc1", 3, 5, [.. Enumerable.Range(0, 15).Select(i => (float)i)], 1),
        };
        var set = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, layers);
        if (!withCalibration) return set;
        var calibration = new CalibrationSplit([1, 2, 3], 4, [new float[12], [.. Enumerable.Range(100, 20).Select(i => (float)i)]], [5, 6, 7, 8], 1, "test");
        return set with { Calibration = calibration };
    }
}
