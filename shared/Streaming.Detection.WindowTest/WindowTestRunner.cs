using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection.Decision;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// The window test against the one reference file of Detector:ReferencePath (file mode, and
/// `control replay`): a <see cref="ReferenceTester"/> loaded at start. Its reference id is the one
/// the registry would give the same file ("model/version/checksum prefix").
/// </summary>
public sealed partial class WindowTestRunner : IDisposable
{
    private readonly ReferenceTester _tester;

    public WindowTestRunner(IOptions<DetectorOptions> options, ILogger<WindowTestRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var reference = ReferenceFile.Load(settings.ReferencePath);
        _tester = new ReferenceTester(reference, FileReferenceId(settings.ReferencePath, reference), settings, logger);
        if (settings.WarmUpWindows > 0)
            LogWarmedUp(logger, settings.WarmUpWindows, TesterWarmUp.Run(_tester, settings.WarmUpWindows, DateTimeOffset.UtcNow).TotalMilliseconds);
    }

    public ReferenceTester Tester => _tester;

    public ReferenceSet Reference => _tester.Reference;

    public string ReferenceId => _tester.ReferenceId;

    /// <inheritdoc cref="ReferenceTester.Evidence"/>
    public WindowEvidence Evidence(PreparedWindow prepared, WindowTestOutcome outcome) => _tester.Evidence(prepared, outcome);

    /// <inheritdoc cref="ReferenceTester.Prepare"/>
    public PreparedWindow Prepare(WindowReady window, IReadOnlyList<ActivationEvent> events, int missingEvents = 0) => _tester.Prepare(window, events, missingEvents);

    /// <inheritdoc cref="ReferenceTester.TestMany"/>
    public IReadOnlyList<WindowTestOutcome> TestMany(IReadOnlyList<PreparedWindow> windows) => _tester.TestMany(windows);

    public void Dispose() => _tester.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up the window test with {Windows} windows of the reference's clean rows in {DurationMs:F0} ms (Detector:WarmUpWindows)")]
    private static partial void LogWarmedUp(ILogger logger, int windows, double durationMs);

    /// <summary>"model/version/first 12 hex digits of the file's SHA-256", as the reference registry names the same bytes.</summary>
    public static string FileReferenceId(string path, ReferenceSet reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return ReferenceIds.Create(reference.Model, reference.ModelVersion, ReferenceIds.Checksum(File.ReadAllBytes(path)));
    }
}
