using Streaming.Contracts;

namespace Streaming.Control.LoadTest;

/// <summary>Where the streaming load test delivers its activation events; a failed delivery throws.</summary>
public interface IActivationSink : IDisposable
{
    /// <summary>Completes once every event of <paramref name="events"/> was accepted.</summary>
    Task SendAsync(IReadOnlyList<ActivationEvent> events, CancellationToken cancellationToken);
}
