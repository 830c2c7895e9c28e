namespace Streaming.Control.Demo;

public sealed record DemoOptions
{
    /// <summary>
    /// Also run resnet-small on Fashion-MNIST (<see cref="Workshop.CachedModel.ResNetFashion"/>) beside small-cnn on MNIST:
    /// a second Inference instance, the same Windowing and Detector, each model tested against its own reference in the registry.
    /// </summary>
    public bool SecondModel { get; init; } = true;

    /// <summary>Clean images in the first phase, per model.</summary>
    public int CleanImages { get; init; } = 2000;

    /// <summary>FGSM images in the second phase, per model.</summary>
    public int AttackImages { get; init; } = 1000;

    public double Epsilon { get; init; } = 0.3;

    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    /// <summary>Reference images: the first part of the seeded sample of the test split (<see cref="Workshop.CleanSample"/>).</summary>
    public int ReferenceSize { get; init; } = Workshop.CleanSample.DefaultReferenceCount;

    /// <summary>Held-out calibration images of the per-input scores: the next part of the sample.</summary>
    public int CalibrationSize { get; init; } = Workshop.CleanSample.DefaultCalibrationCount;

    /// <summary>Seed of the sample; clean and attacked images are the test images outside it, in its order.</summary>
    public ulong Seed { get; init; } = Detection.CalibrationSample.DefaultSeed;

    public int Permutations { get; init; } = 500;

    public double Alpha { get; init; } = 0.05;

    public int BatchSize { get; init; } = 50;

    public string? ReportPath { get; init; }

    /// <summary>Runs the web console beside the pipeline and keeps both up after the phases, until Ctrl-C.</summary>
    public bool Serve { get; init; }

    /// <summary>Port of the console with <see cref="Serve"/> (0: a free one).</summary>
    public int ConsolePort { get; init; }

    /// <summary>libtorch threads per service process (OMP_NUM_THREADS).</summary>
    public int TorchThreads { get; init; } = 1;

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Expected count windows for a phase of n events: one at size, then one every slide.</summary>
    public int ExpectedWindows(int events) => Streaming.WindowStore.CountWindowRule.ExpectedCount(events, WindowSize, WindowSlide);
}
