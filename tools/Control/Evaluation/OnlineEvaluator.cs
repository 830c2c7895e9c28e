using System.Diagnostics;
using Streaming.Detection;
using Streaming.Detection.Online;
using Streaming.Lab.Data;
using Streaming.Ml.Serving;
using static Streaming.Control.Evaluation.ActivationPools;

namespace Streaming.Control.Evaluation;

/// <summary>
/// Measures the online detector on a trained model's activations: the run length between false
/// alarms on clean streams (against the configured ERT) and the delay from the start of an attack
/// to the alarm. Images come from the first half of the MNIST test split (the second half is
/// known to be drawn differently): reference, then held-out clean, then the attack source.
/// </summary>
public sealed class OnlineEvaluator(OnlineEvaluationOptions options, TextWriter log)
{
    private const int TraceClean = 300;
    private const int TraceAttacked = 200;

    public OnlineEvaluationReport Run(string modelDirectory, MnistDataset test)
    {
        int needed = options.ReferenceSize + options.CleanPoolSize + options.AttackPoolSize;
        if (needed > test.Count)
            throw new ArgumentException($"Reference, clean pool and attack pool need {needed} test images; the data set has {test.Count}.");

        using var runner = ModelRunner.Load(modelDirectory);
        string[] layers = [.. runner.Layers.Select(l => l.Name)];
        log.WriteLine($"Activations of {options.ReferenceSize} reference and {options.CleanPoolSize} held-out clean images …");
        var reference = Activations(runner, Slice(test, 0, options.ReferenceSize), options.ReferenceSize);
        var clean = Activations(runner, Slice(test, options.ReferenceSize, options.CleanPoolSize), options.CleanPoolSize);
        var referenceSet = ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version, reference, TimeProvider.System);

        var calibrationClock = Stopwatch.StartNew();
        var model = OnlineMmdCalibrator.Calibrate(referenceSet, new OnlineMmdOptions
        {
            WindowSize = options.WindowSize,
            ExpectedRunTime = options.ExpectedRunTime,
            Bootstraps = options.Bootstraps,
            Seed = options.Seed,
        }, TorchSharp.torch.CPU);
        var calibration = calibrationClock.Elapsed;
        log.WriteLine($"Calibrated thresholds for {layers.Length} layers in {calibration.TotalSeconds:F1} s.");

        var random = new Random(unchecked((int)options.Seed));
        var cleanSource = new ShuffledPool(options.CleanPoolSize, random);
        var (runLengths, events, rate) = MeasureRunLengths(model, clean, cleanSource, layers);
        log.WriteLine($"Clean: {runLengths.Count} false alarms in {events:N0} events, mean run length {runLengths.Average():F0} (configured {options.ExpectedRunTime:0}).");

        var attacks = new List<OnlineAttackResult>();
        List<IReadOnlyList<double>>? trace = null;
        foreach (var attack in options.Attacks)
        {
            log.WriteLine($"Generating {options.AttackPoolSize} {attack.Attack} images (strength {attack.Strength}) …");
            int start = options.ReferenceSize + options.CleanPoolSize;
            var attacked = Activations(runner, Attack(modelDirectory, test, start, options.AttackPoolSize, attack), options.AttackPoolSize);
            var attackedSource = new ShuffledPool(options.AttackPoolSize, random);
            attacks.Add(MeasureDelays(model, clean, cleanSource, attacked, attackedSource, layers, attack));
            trace ??= Trace(model, clean, cleanSource, attacked, attackedSource, layers);
            var result = attacks[^1];
            log.WriteLine($"{attack.Attack} {attack.Strength}: detected {result.DetectedShare:P0}, median delay {result.MedianDelay:F0} events.");
        }

        return new OnlineEvaluationReport(options, layers, runLengths, events, attacks, trace ?? [], TraceClean, calibration, rate);
    }

    private (List<long> RunLengths, long Events, double EventsPerSecond) MeasureRunLengths(
        OnlineMmdModel model, Dictionary<string, float[][]> clean, ShuffledPool source, string[] layers)
    {
        var detector = model.CreateDetector();
        var runLengths = new List<long>();
        long events = 0;
        // Bounded: at 40 x ERT per false alarm something is badly off, and the report shows it.
        long limit = (long)(40 * options.ExpectedRunTime * options.FalseAlarms);
        var clock = Stopwatch.StartNew();
        while (runLengths.Count < options.FalseAlarms && events < limit)
        {
            var step = detector.Add(Event(clean, source.Next(), layers));
            events++;
            if (step.Alarm)
                runLengths.Add(step.Step);
        }
        return (runLengths, events, events / clock.Elapsed.TotalSeconds);
    }

    private OnlineAttackResult MeasureDelays(
        OnlineMmdModel model, Dictionary<string, float[][]> clean, ShuffledPool cleanSource,
        Dictionary<string, float[][]> attacked, ShuffledPool attackedSource, string[] layers, (string Attack, double Strength) attack)
    {
        var delays = new List<int>();
        int falseAlarms = 0;
        for (int run = 0; run < options.DelayRuns; run++)
        {
            var detector = model.CreateDetector();
            for (int i = 0; i < options.Warmup; i++)
            {
                if (detector.Add(Event(clean, cleanSource.Next(), layers)).Alarm)
                    falseAlarms++;
            }
            // The change point: delays are counted from the first attacked event.
            detector.Reset();
            for (int i = 0; i < options.Warmup; i++)
                detector.Add(Event(clean, cleanSource.Next(), layers));
            for (int delay = 1; delay <= options.MaxDelay; delay++)
            {
                if (detector.Add(Event(attacked, attackedSource.Next(), layers)).Alarm)
                {
                    delays.Add(delay);
                    break;
                }
            }
        }
        return new OnlineAttackResult(attack.Attack, attack.Strength, options.DelayRuns, delays, falseAlarms);
    }

    private static List<IReadOnlyList<double>> Trace(
        OnlineMmdModel model, Dictionary<string, float[][]> clean, ShuffledPool cleanSource,
        Dictionary<string, float[][]> attacked, ShuffledPool attackedSource, string[] layers)
    {
        var detector = model.CreateDetector();
        var trace = new List<IReadOnlyList<double>>(TraceClean + TraceAttacked);
        for (int i = 0; i < TraceClean + TraceAttacked; i++)
        {
            var step = i < TraceClean
                ? detector.Add(Event(clean, cleanSource.Next(), layers))
                : detector.Add(Event(attacked, attackedSource.Next(), layers));
            trace.Add([.. step.Layers.Select(l => l.Mmd2 / l.Threshold)]);
        }
        return trace;
    }

    private static Dictionary<string, float[]> Event(Dictionary<string, float[][]> pool, int index, string[] layers) =>
        layers.ToDictionary(l => l, l => pool[l][index]);
}
