using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Streaming.Messaging;

/// <summary>
/// W3C trace context in Kafka headers (traceparent / tracestate), so one inference can be
/// followed through windowing and detection to its alert.
/// </summary>
public static class TraceContext
{
    public static readonly ActivitySource Source = new("Streaming.Messaging");

    public static void Inject(Message<byte[], byte[]> message)
    {
        var activity = Activity.Current;
        if (activity is null) return;
        message.Headers ??= [];
        DistributedContextPropagator.Current.Inject(activity, message.Headers, static (carrier, name, value) =>
        {
            var headers = (Headers)carrier!;
            headers.Remove(name);
            headers.Add(name, Encoding.ASCII.GetBytes(value));
        });
    }

    /// <summary>
    /// Starts a producer activity continuing a stored trace context (W3C traceparent / tracestate),
    /// so <see cref="Inject"/> carries that trace on. Null when there is no well-formed context (or
    /// nobody listens): the message is then produced as it would be without one.
    /// </summary>
    public static Activity? StartProduce(string topic, string? traceParent, string? traceState)
    {
        if (string.IsNullOrEmpty(traceParent) || !ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent))
            return null;
        return Source.StartActivity($"{topic} publish", ActivityKind.Producer, parent);
    }

    /// <summary>Starts a consumer activity whose parent is the producer's trace, if the message carries one.</summary>
    public static Activity? StartConsume(string topic, Headers? headers)
    {
        string? parent = null;
        string? state = null;
        if (headers is not null)
        {
            DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, name, out value, out values) =>
            {
                values = null;
                value = ((Headers)carrier!).TryGetLastBytes(name, out var bytes) ? Encoding.ASCII.GetString(bytes) : null;
            }, out parent, out state);
        }

        ActivityContext.TryParse(parent, state, out var context);
        return Source.StartActivity($"{topic} process", ActivityKind.Consumer, context);
    }
}
