using Streaming.Detection;
using Streaming.Detection.Online;
using Xunit.Abstractions;

namespace Streaming.UnitTests.Detection.Online;

public sealed class OnlineMmdDetectorTests(ITestOutputHelper output)
{
    private const int Dimension = 4;

    private static ReferenceSet Reference(int count = 600, int seed = 1, params string[] layers)
    {
        string[] names = layers.Length == 0 ? ["fc"] : layers;
        return new ReferenceSet("synthetic", "v1", DateTimeOffset.UnixEpoch,
            [.. names.Select((name, i) => DetectionFixtures.Layer(name, Gaussian.Samples(count, Dimension, seed + 17 * i)))]);
    }

    private static OnlineMmdModel Calibrate(ReferenceSet reference, int window = 10, double ert = 50, int bootstraps = 10_000, ulong seed = 7) =>
        OnlineMmdCalibrator.Calibrate(reference, new OnlineMmdOptions { WindowSize = window, ExpectedRunTime = ert, Bootstraps = bootstraps, Seed = seed }, DetectionFixtures.Device);

    private static Dictionary<string, float[]> Event(OnlineMmdModel model, float[][] rows, int index) =>
        model.Layers.ToDictionary(l => l.Layer, _ => rows[index]);

    [Fact]
    public void Add_CleanStream_MeanRunLengthBetweenFalseAlarmsIsTheConfiguredErt()
    {
        var model = Calibrate(Reference());
        var detector = model.CreateDetector();
        // Fresh clean events from the reference's distribution (not the reference vectors themselves).
        var clean = Gaussian.Samples(200_000, Dimension, seed: 99);
        var runLengths = new List<long>();
        for (int i = 0; i < clean.Length && runLengths.Count < 1000; i++)
        {
            var step = detector.Add(Event(model, clean, i));
            if (step.Alarm)
                runLengths.Add(step.Step);
        }

        Assert.Equal(1000, runLengths.Count);
        double mean = runLengths.Average();
        output.WriteLine($"mean run length {mean:F1} (configured ERT 50), {runLengths.Count(r => r <= 10)} of 1000 within the first window");
        // Run lengths are about geometric with mean 50: the mean of 1,000 has a standard error of
        // about 1.6, the bootstrap quantiles (200 exceedances each) add about 7 %; the band is 3-4 σ wide.
        Assert.InRange(mean, 0.75 * 50, 1.35 * 50);
        // Memoryless: false alarms are spread over all run lengths, not concentrated in the first W steps.
        Assert.InRange(runLengths.Count(r => r <= 10) / 1000.0, 0.1, 0.3);
    }

    [Fact]
    public void Add_StreamThatShifts_AlarmsSoonAfterTheChange()
    {
        var model = Calibrate(Reference(), ert: 200, bootstraps: 10_000);
        var detector = model.CreateDetector();
        var clean = Gaussian.Samples(100, Dimension, seed: 5);
        var shifted = Gaussian.Samples(100, Dimension, seed: 6, shift: 1.0f);
        for (int i = 0; i < clean.Length; i++)
            detector.Add(Event(model, clean, i));

        int delay = 0;
        OnlineStepResult step;
        do
        {
            step = detector.Add(Event(model, shifted, delay));
            delay++;
        }
        while (!step.Alarm && delay < shifted.Length);

        Assert.True(step.Alarm, "a shift of one standard deviation in every component was never detected");
        Assert.True(delay <= 10, $"detected {delay} events after the change; a window of 10 should need fewer");
        Assert.Equal(0, detector.Step);
        // The witness scores single out the shifted events (the newest `delay` positions of the window).
        Assert.Equal(10, step.WitnessScores.Count);
        Assert.True(step.WitnessScores.Skip(10 - delay).Min() > step.WitnessScores.Take(10 - delay).Max(),
            $"witness scores {string.Join(", ", step.WitnessScores.Select(w => w.ToString("F3")))}; the last {delay} are the shifted events");
    }

    [Fact]
    public void Add_AfterMoreThanAWindow_Mmd2EqualsNaiveUnbiasedMmd2OfTheReferencePartAndTheLastWEvents()
    {
        var reference = Reference(count: 200);
        // ERT 5,000: a false alarm within these 20 events has a chance of about 0.4 %.
        var model = Calibrate(reference, window: 8, ert: 5_000, bootstraps: 25_000);
        var layer = model.Layers[0];
        var detector = model.CreateDetector();
        var events = Gaussian.Samples(20, Dimension, seed: 3);
        OnlineStepResult? last = null;
        for (int i = 0; i < events.Length; i++)
        {
            last = detector.Add(Event(model, events, i));
            Assert.False(last.Alarm, $"unexpected alarm at event {i}; the test needs one uninterrupted window");
        }

        var part = Enumerable.Range(0, layer.ReferenceCount).Select(r => layer.ReferencePart.AsSpan(r * Dimension, Dimension).ToArray()).ToList();
        double naive = NaiveMmd.UnbiasedMmd2(part, events[^8..], reference.Layers[0].Bandwidth);
        // The reference part's mean kernel comes from the float32 kernel matrix of calibration: ~1e-8 off.
        Assert.Equal(naive, last!.Layers[0].Mmd2, 1e-6);
        Assert.Equal(layer.Thresholds[^1], last.Layers[0].Threshold);
    }

    [Fact]
    public void Calibrate_SameSeed_SameThresholdsAndSplit_OtherSeed_Different()
    {
        var reference = Reference(count: 300);
        var a = Calibrate(reference, ert: 20, bootstraps: 2_000, seed: 1);
        var b = Calibrate(reference, ert: 20, bootstraps: 2_000, seed: 1);
        var c = Calibrate(reference, ert: 20, bootstraps: 2_000, seed: 2);

        Assert.Equal(a.Layers[0].Thresholds, b.Layers[0].Thresholds);
        Assert.Equal(a.Layers[0].ReferencePart, b.Layers[0].ReferencePart);
        Assert.NotEqual(a.Layers[0].Thresholds, c.Layers[0].Thresholds);
    }

    [Fact]
    public void Calibrate_SeveralLayers_SplitsTheFalseAlarmRateBetweenThem()
    {
        var model = Calibrate(Reference(300, 1, "a", "b", "c", "d"), ert: 25, bootstraps: 2_000);

        Assert.Equal(1.0 / 100, model.LayerFalseAlarmRate, 12);
        Assert.Equal(["a", "b", "c", "d"], model.Layers.Select(l => l.Layer));
        Assert.All(model.Layers, l => Assert.Equal(10, l.Thresholds.Count));
    }

    [Fact]
    public void ConditionalQuantiles_RemoveExceedingBootstrapsBeforeTheNextStep()
    {
        // Bootstrap b has statistic b at step 0 and 1000-b at step 1 (B = 100, W = 2).
        var statistics = new double[200];
        for (int b = 0; b < 100; b++)
        {
            statistics[2 * b] = b;
            statistics[2 * b + 1] = 1000 - b;
        }

        double[] thresholds = OnlineMmdCalibrator.ConditionalQuantiles(statistics, 100, 2, falseAlarmRate: 0.1);

        Assert.Equal(89.1, thresholds[0], 9);      // 0.9 quantile of 0..99
        // Bootstraps 90..99 alarmed at step 0; step 1 sees 1000-b for b in 0..89, i.e. 911..1000.
        Assert.Equal(911 + 0.9 * 89, thresholds[1], 9);
    }

    [Theory]
    [InlineData(1, 50, 10_000, "WindowSize must be at least 2")]
    [InlineData(10, 1, 10_000, "ExpectedRunTime must be")]
    [InlineData(10, 50, 100, "Bootstraps 100 is too few")]
    [InlineData(400, 50, 10_000, "needs references of at least 801 vectors")]
    public void Calibrate_BadOptions_ThrowNamingTheSetting(int window, double ert, int bootstraps, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => Calibrate(Reference(count: 300), window, ert, bootstraps));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Add_BadEvents_ThrowAndLeaveTheStreamAsItWas()
    {
        var model = Calibrate(Reference(count: 300), ert: 20, bootstraps: 2_000);
        var detector = model.CreateDetector();
        detector.Add(Event(model, Gaussian.Samples(1, Dimension, 4), 0));

        var missing = Assert.Throws<ArgumentException>(() => detector.Add(new Dictionary<string, float[]> { ["other"] = new float[Dimension] }));
        var wrongSize = Assert.Throws<ArgumentException>(() => detector.Add(new Dictionary<string, float[]> { ["fc"] = new float[Dimension + 1] }));
        var nan = Assert.Throws<ArgumentException>(() => detector.Add(new Dictionary<string, float[]> { ["fc"] = [0, float.NaN, 0, 0] }));

        Assert.Contains("lacks layer 'fc'", missing.Message);
        Assert.Contains("expects 4", wrongSize.Message);
        Assert.Contains("non-finite", nan.Message);
        Assert.Equal(1, detector.Step);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(37)]
    public void Restore_LastWindowAndStep_ContinuesExactlyLikeTheUninterruptedDetector(int stopAfter)
    {
        var model = Calibrate(Reference(layers: ["a", "b"]), ert: 200, bootstraps: 10_000);
        var rows = Gaussian.Samples(40, Dimension, seed: 5).Concat(Gaussian.Samples(40, Dimension, seed: 6, shift: 0.6f)).ToArray();
        var uninterrupted = model.CreateDetector();
        var before = model.CreateDetector();
        for (int i = 0; i < stopAfter; i++)
        {
            uninterrupted.Add(Event(model, rows, i));
            before.Add(Event(model, rows, i));
        }

        // What a store keeps: the step and the last W events, oldest first.
        var window = Enumerable.Range(Math.Max(0, stopAfter - 10), Math.Min(10, stopAfter))
            .Select(i => (IReadOnlyDictionary<string, float[]>)Event(model, rows, i)).ToList();
        var restored = model.CreateDetector();
        restored.Restore(before.Step, window);

        for (int i = stopAfter; i < rows.Length; i++)
        {
            var expected = uninterrupted.Add(Event(model, rows, i));
            var actual = restored.Add(Event(model, rows, i));
            Assert.Equal(expected.Step, actual.Step);
            Assert.Equal(expected.Alarm, actual.Alarm);
            for (int l = 0; l < expected.Layers.Count; l++)
                Assert.Equal(expected.Layers[l].Mmd2, actual.Layers[l].Mmd2, 9);
            Assert.Equal(expected.WitnessScores.Count, actual.WitnessScores.Count);
            for (int w = 0; w < expected.WitnessScores.Count; w++)
                Assert.Equal(expected.WitnessScores[w], actual.WitnessScores[w], 9);
        }
    }

    [Fact]
    public void Restore_WindowLongerThanW_RefusesAndKeepsTheState()
    {
        var model = Calibrate(Reference());
        var rows = Gaussian.Samples(11, Dimension, seed: 5);
        var detector = model.CreateDetector();
        detector.Add(Event(model, rows, 0));

        var ex = Assert.Throws<ArgumentException>(() => detector.Restore(5, [.. Enumerable.Range(0, 11).Select(i => (IReadOnlyDictionary<string, float[]>)Event(model, rows, i))]));

        Assert.Contains("longer than the online window", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, detector.Step);
    }
}
