namespace Streaming.Redis;

/// <summary>
/// Where Inference keeps each input image by event id for forensics (Inference:CaptureInputs) and
/// where the console reads it back: one hash per event, with an expiry, and an index sorted by
/// capture time that bounds how many are kept. Shared here so the writer and the reader cannot drift.
/// </summary>
public static class CapturedInputs
{
    /// <summary>Default prefix of the keys (Inference:CaptureInputs:KeyPrefix, Console:CaptureKeyPrefix).</summary>
    public const string DefaultPrefix = "inference:input:";

    /// <summary>Hash field: the image as a grayscale PNG.</summary>
    public const string ImageField = "png";

    /// <summary>Hash field: the predicted class (invariant integer).</summary>
    public const string PredictedField = "predicted";

    /// <summary>Hash field: the model's confidence in it (invariant float, in [0, 1]).</summary>
    public const string ConfidenceField = "confidence";

    /// <summary>Hash field: the stream the image was sent on.</summary>
    public const string StreamField = "stream";

    /// <summary>The hash of one event.</summary>
    public static string Key(string prefix, string eventId) => prefix + eventId;

    /// <summary>The sorted set of captured event ids, scored by capture time (Unix ms), oldest evicted first.</summary>
    public static string Index(string prefix) => prefix + "index";
}
