namespace Streaming.Contracts;

/// <summary>
/// Default topic names; each service reads the names it uses from configuration. The full list, with
/// partition counts, is <see cref="TopicCatalog"/>.
/// </summary>
public static class Topics
{
    public const string Activations = "activations";
    public const string Windows = "windows";
    public const string Detections = "detections";
    public const string Alerts = "alerts";

    /// <summary>Dead letters of a topic go to "&lt;topic&gt;.deadletter".</summary>
    public static string DeadLetterOf(string topic) => topic + ".deadletter";
}
