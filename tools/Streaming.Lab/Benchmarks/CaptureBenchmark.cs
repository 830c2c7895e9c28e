using System.Diagnostics;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Benchmarks;

/// <summary>
/// Capture of every configured layer vs a plain forward of the same model on the same batch, as a ratio
/// of median times. Plain and capture are measured in alternating rounds (the capture's hooks are
/// removed during plain rounds), so machine load drifts hit both alike.
/// </summary>
public static class CaptureBenchmark
{
    /// <summary>Times <paramref name="iterations"/> passes per round over <paramref name="rounds"/> rounds, after a warm-up.</summary>
    public static CaptureBenchmarkResult Run(ModelDefinition definition, int batchSize, int rounds, int iterations, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        using var model = definition.Create(seed);
        model.eval();
        using var images = rand([batchSize, .. definition.InputShape]);
        var plain = new List<double>();
        var captured = new List<double>();
        for (var round = -1; round < rounds; round++)
        {
            // Round -1 warms up both paths and is not counted.
            var count = round < 0 ? Math.Max(3, iterations / 4) : iterations;
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using (NewDisposeScope())
                using (torch.inference_mode())
                {
                    _ = model.call(images);
                }

                if (round >= 0)
                {
                    plain.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            using var capture = new ActivationCapture(model, definition.DefaultCapture);
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                _ = capture.Run(images);
                if (round >= 0)
                {
                    captured.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        return new CaptureBenchmarkResult(definition.Name, batchSize, definition.DefaultCapture.Count, Median(plain), Median(captured));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
