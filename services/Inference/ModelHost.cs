using System.Diagnostics;
using Microsoft.Extensions.Options;
using Streaming.Ml;

namespace Streaming.Inference;

/// <summary>The served model: loaded once at start-up from the folder `control train` wrote.</summary>
public sealed class ModelHost : IDisposable
{
    private readonly ModelRunner _runner;

    public ModelHost(IOptions<InferenceOptions> options)
    {
        var directory = options.Value.ModelDirectory;
        if (!Directory.Exists(directory))
            throw new InvalidOperationException($"Inference:ModelDirectory '{directory}' does not exist; run `control train` first.");
        _runner = ModelRunner.Load(directory);
        Manifest = _runner.Manifest;
    }

    public ModelManifest Manifest { get; }

    public IReadOnlyList<InputActivations> Run(float[] pixels, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var result = _runner.Run(pixels, count);
        InferenceMetrics.ForwardDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    public void Dispose() => _runner.Dispose();
}
