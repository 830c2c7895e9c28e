namespace Streaming.Detection.Decision;

/// <summary>
/// Names one event across the windows that hold it: its stream and its id (event ids are unique within
/// a stream; the model-wide window names its members the same way).
/// </summary>
public readonly record struct EventKey(string Stream, string EventId);
