using Streaming.Contracts;
using Streaming.Detection.WindowTest;

namespace Streaming.Detector.References;

/// <summary>File mode: every window is tested against Detector:ReferencePath (a window of another model is refused by <see cref="ReferenceTester.Prepare"/>, as before the registry).</summary>
public sealed class FileWindowReferences(WindowTestRunner runner) : IWindowReferences
{
    public Task<ReferenceResolution> ResolveAsync(EventHeader header, CancellationToken cancellationToken) =>
        Task.FromResult(ReferenceResolution.Of(runner.Tester));
}
