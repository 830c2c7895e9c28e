using Streaming.Contracts;

namespace Streaming.Detector.References;

/// <summary>The reference a window is tested against: the one file (file mode) or the registry's active reference of its model version.</summary>
public interface IWindowReferences
{
    /// <summary>Called by the one consumer thread; a tester it returns stays usable until the next call.</summary>
    Task<ReferenceResolution> ResolveAsync(EventHeader header, CancellationToken cancellationToken);
}
