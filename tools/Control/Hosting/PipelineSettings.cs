namespace Streaming.Control.Hosting;

/// <summary>What an embedded pipeline runs with.</summary>
public sealed record PipelineSettings
{
    public required string ModelDirectory { get; init; }

    /// <summary>The Detector's reference file (Detector:ReferencePath); not used when <see cref="RegistryReferences"/> are given.</summary>
    public required string ReferencePath { get; init; }

    /// <summary>Further models, each served by an Inference instance of its own (Inference-2, …) beside the one of <see cref="ModelDirectory"/>.</summary>
    public IReadOnlyList<string> MoreModelDirectories { get; init; } = [];

    /// <summary>
    /// Reference files published and activated in the pipeline's Redis registry before the services start; when
    /// any are given the Detector serves them in registry mode (Detector:ReferenceSource registry) instead of <see cref="ReferencePath"/>.
    /// </summary>
    public IReadOnlyList<string> RegistryReferences { get; init; } = [];

    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    public int Permutations { get; init; } = 500;

    public double Alpha { get; init; } = 0.05;

    /// <summary>Instances each of Windowing, the Detector and Alerting, in their consumer groups (Inference runs once).</summary>
    public int Instances { get; init; } = 1;

    /// <summary>libtorch threads per service process (OMP_NUM_THREADS).</summary>
    public int TorchThreads { get; init; } = 1;

    /// <summary>Also runs the web console, and Inference keeps each input image (Inference:CaptureInputs) for it.</summary>
    public bool WithConsole { get; init; }

    /// <summary>Port of the console (0: a free one).</summary>
    public int ConsolePort { get; init; }

    /// <summary>Folder for the services' logs.</summary>
    public required string LogDirectory { get; init; }
}
