using System.Threading.Channels;
using Streaming.Console.History;

namespace Streaming.Console.Live;

/// <summary>One browser's live view of one stream (see <see cref="LiveFeed"/>); dispose to leave.</summary>
public sealed class LiveSubscription(StreamRef stream, Action<Guid> leave, Channel<string> queue) : IDisposable
{
    public Guid Id { get; } = Guid.NewGuid();

    public StreamRef Stream { get; } = stream;

    /// <summary>Each recorded window of the stream as JSON <see cref="DetectionPoint"/>.</summary>
    public Channel<string> Queue { get; } = queue;

    public void Dispose() => leave(Id);
}
