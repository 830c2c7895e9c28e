namespace Streaming.Detector.Online;

/// <summary>
/// One stream's online state as stored: events since the start or the last alarm, the last events of
/// its window (oldest first, each with its event id), and the Kafka position of the last event applied.
/// </summary>
internal sealed record StoredOnlineStream(
    long Step,
    IReadOnlyList<(string EventId, IReadOnlyDictionary<string, float[]> Vectors)> Window,
    int Partition,
    long Offset);
