using Google.Protobuf.WellKnownTypes;

namespace Streaming.Contracts.Validation;

/// <summary>
/// The one rule set for events, used by every entry point (POST /v1/predict, POST /v1/activations)
/// and every consumer (through ProtobufEvents). The limits follow from where the values end up:
/// ids become Redis keys and hash tags, Kafka keys and headers, HTTP headers (Idempotency-Key),
/// window and alert ids; timestamps become DateTimeOffsets and JSON; values feed kernel matrices in
/// float32. Anything outside them is refused with the field named, never half-processed.
/// </summary>
public static class EventRules
{
    /// <summary>Model, model version, stream id and the event id of an activation event.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Ids of derived events (detections, alerts) embed model, stream and a window or event id.</summary>
    public const int MaxDerivedIdLength = 512;

    public const int MaxAttributes = 32;
    public const int MaxAttributeKeyLength = 64;
    public const int MaxAttributeValueLength = 256;
    public const int MaxLayers = 64;
    public const int MaxLayerNameLength = 128;
    public const int MaxLayerValues = 1 << 16;

    /// <summary>
    /// Largest |value|. Squared distances of d such values stay far below float32's 3.4e38 for any
    /// d this system sees (4e12 per coordinate), so kernels can neither overflow nor turn NaN.
    /// Real activations after pooling are O(1)-O(100).
    /// </summary>
    public const float MaxAbsValue = 1e6f;

    /// <summary>
    /// Largest serialized activation event: below Kafka's default 1 MB message limit with room for
    /// the dead-letter envelope (reason, pointers) around it.
    /// </summary>
    public const int MaxActivationBytes = 768 * 1024;

    /// <summary>How far in the future an ingested event's timestamp may lie (clock skew between clients and us).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromHours(1);

    // 9999-12-31T23:59:59Z: the last second a DateTimeOffset (and JSON) can hold.
    private const long MaxTimestampSeconds = 253_402_300_799;

    public const string IdCharset = "letters, digits, '.', '_' or '-'";
    public const string EventIdCharset = "letters, digits, '.', '_', '-', ':' or '/'";

    /// <summary>A model, model version or stream id: 1-128 of [A-Za-z0-9._-], no whitespace or control character.</summary>
    public static bool IsId(string? value) => IsMadeOf(value, MaxIdLength, allowColonSlash: false);

    /// <summary>
    /// A stream id a client may send: an id (<see cref="IsId"/>) outside the namespace reserved for
    /// streams the system derives (<see cref="WindowScopes.ReservedStreamIdPrefix"/>, e.g. the
    /// model-wide windows' "__model").
    /// </summary>
    public static bool IsClientStreamId(string? value) => IsId(value) && !WindowScopes.IsReservedStreamId(value);

    /// <summary>Why a client's stream id was refused, for the violation message.</summary>
    public static readonly string ClientStreamIdRule =
        $"1-{MaxIdLength} characters of {IdCharset}, not starting with '{WindowScopes.ReservedStreamIdPrefix}' (reserved for streams the system derives, such as '{WindowScopes.ModelWideStreamId}')";

    /// <summary>An event id: 1-<paramref name="maxLength"/> of [A-Za-z0-9._:/-].</summary>
    public static bool IsEventId(string? value, int maxLength = MaxIdLength) => IsMadeOf(value, maxLength, allowColonSlash: true);

    /// <summary>A layer name: 1-128 of [A-Za-z0-9._:/-] (module paths such as layer1.0.conv2).</summary>
    public static bool IsLayerName(string? value) => IsMadeOf(value, MaxLayerNameLength, allowColonSlash: true);

    /// <summary>
    /// The header every event carries. <paramref name="now"/> is given at ingestion, where a
    /// timestamp far in the future is refused; consumers check only that it is a valid instant.
    /// </summary>
    public static void CheckHeader(EventHeader? header, RuleViolations violations, string prefix = "", DateTimeOffset? now = null, int maxEventIdLength = MaxIdLength)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (header is null)
        {
            violations.Add(prefix + "header", "header is required (schema_version, event_id, model, model_version, stream_id, timestamp).");
            return;
        }

        var field = prefix + "header.";
        if (!SchemaVersions.IsSupported(header.SchemaVersion))
            violations.Add(field + "schemaVersion", $"schema_version is {header.SchemaVersion}; accepted: {SchemaVersions.Current}.");
        if (!IsEventId(header.EventId, maxEventIdLength))
            violations.Add(field + "eventId", $"event_id is required: 1-{maxEventIdLength} characters of {EventIdCharset}.");
        if (!IsId(header.Model))
            violations.Add(field + "model", $"model is required: 1-{MaxIdLength} characters of {IdCharset}.");
        if (!IsId(header.ModelVersion))
            violations.Add(field + "modelVersion", $"model_version is required: 1-{MaxIdLength} characters of {IdCharset}.");
        if (!IsId(header.StreamId))
            violations.Add(field + "streamId", $"stream_id is required: 1-{MaxIdLength} characters of {IdCharset}.");
        CheckTimestamp(header.Timestamp, field + "timestamp", violations, now, required: true);
    }

    /// <summary>
    /// A timestamp that every consumer can turn into a DateTimeOffset: seconds from 1970 to 9999,
    /// nanos in [0, 10^9). With <paramref name="now"/>, also at most <see cref="MaxFutureSkew"/> ahead.
    /// </summary>
    public static void CheckTimestamp(Timestamp? timestamp, string field, RuleViolations violations, DateTimeOffset? now = null, bool required = false)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (timestamp is null)
        {
            if (required) violations.Add(field, "timestamp is required.");
            return;
        }

        if (timestamp.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(field, $"nanos is {timestamp.Nanos}; must be in [0, 999999999].");
            return;
        }

        if (timestamp.Seconds is < 0 or > MaxTimestampSeconds)
        {
            violations.Add(field, $"seconds is {timestamp.Seconds}; must be between 0 (1970) and {MaxTimestampSeconds} (9999).");
            return;
        }

        if (now is { } current && timestamp.Seconds > (current + MaxFutureSkew).ToUnixTimeSeconds())
            violations.Add(field, $"timestamp {timestamp.ToDateTimeOffset():O} is more than {MaxFutureSkew.TotalMinutes:0} minutes in the future.");
    }

    /// <summary>Attribute names and values (ground truth of synthetic traffic, client tags).</summary>
    public static void CheckAttributes(IEnumerable<KeyValuePair<string, string?>> attributes, string field, RuleViolations violations)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(violations);
        var count = 0;
        foreach (var (key, value) in attributes)
        {
            if (++count > MaxAttributes)
            {
                violations.Add(field, $"at most {MaxAttributes} attributes.");
                return;
            }

            if (!IsMadeOf(key, MaxAttributeKeyLength, allowColonSlash: false))
                violations.Add($"{field}.{Shorten(key)}", $"attribute names are 1-{MaxAttributeKeyLength} characters of {IdCharset}.");
            else if (value is null)
                violations.Add($"{field}.{key}", "attribute values must be strings, not null.");
            else if (value.Length > MaxAttributeValueLength || HasControlCharacter(value))
                violations.Add($"{field}.{key}", $"attribute values are at most {MaxAttributeValueLength} characters without control characters.");
        }
    }

    /// <summary>
    /// An activation event as every consumer needs it. <paramref name="expectedLayers"/> (layer →
    /// dimension), when the model's layers are known, also requires each of them with its size.
    /// </summary>
    public static void CheckActivation(
        ActivationEvent activation,
        RuleViolations violations,
        string prefix = "",
        DateTimeOffset? now = null,
        IReadOnlyDictionary<string, int>? expectedLayers = null)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(violations);
        CheckHeader(activation.Header, violations, prefix, now);
        // Activation events come from clients; derived events (windows, detections, alerts) may carry
        // a reserved stream id, so this is checked here and not in CheckHeader.
        if (WindowScopes.IsReservedStreamId(activation.Header?.StreamId))
            violations.Add(prefix + "header.streamId", $"stream_id '{Shorten(activation.Header!.StreamId)}' is reserved: stream ids are {ClientStreamIdRule}.");
        CheckAttributes(activation.Attributes.Select(a => new KeyValuePair<string, string?>(a.Key, a.Value)), prefix + "attributes", violations);
        if (!float.IsFinite(activation.Confidence))
            violations.Add(prefix + "confidence", $"confidence is {activation.Confidence}; must be finite.");

        var layers = activation.Layers;
        if (layers.Count == 0)
        {
            violations.Add(prefix + "layers", "layers is required: at least one layer with a name and values.");
            return;
        }

        if (layers.Count > MaxLayers)
        {
            violations.Add(prefix + "layers", $"{layers.Count} layers; at most {MaxLayers}.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count && !violations.IsFull; i++)
        {
            var layer = layers[i];
            var field = $"{prefix}layers[{i}]";
            if (string.IsNullOrEmpty(layer.Layer))
                violations.Add(field + ".layer", "layer name must not be empty.");
            else if (!IsLayerName(layer.Layer))
                violations.Add(field + ".layer", $"layer names are 1-{MaxLayerNameLength} characters of {EventIdCharset}.");
            else if (!seen.Add(layer.Layer))
                violations.Add(field + ".layer", $"layer '{layer.Layer}' appears more than once.");
            CheckValues(layer, field + ".values", violations, expectedLayers);
        }

        if (expectedLayers is not null)
        {
            foreach (var name in expectedLayers.Keys)
            {
                if (!seen.Contains(name))
                    violations.Add(prefix + "layers", $"layer '{name}' is missing; the model's layers are {string.Join(", ", expectedLayers.Keys)}.");
            }
        }

        var size = activation.CalculateSize();
        if (size > MaxActivationBytes)
            violations.Add(prefix.Length == 0 ? "event" : prefix.TrimEnd('.'), $"the event is {size} bytes serialized; at most {MaxActivationBytes}.");
    }

    /// <summary>Convenience for consumers: the violations of one event, none when it is valid.</summary>
    public static RuleViolations CheckActivation(ActivationEvent activation, DateTimeOffset? now = null, IReadOnlyDictionary<string, int>? expectedLayers = null)
    {
        var violations = new RuleViolations();
        CheckActivation(activation, violations, "", now, expectedLayers);
        return violations;
    }

    private static void CheckValues(LayerActivation layer, string field, RuleViolations violations, IReadOnlyDictionary<string, int>? expectedLayers)
    {
        var values = layer.Values;
        if (values.Count == 0)
        {
            violations.Add(field, "values must not be empty.");
            return;
        }

        if (values.Count > MaxLayerValues)
        {
            violations.Add(field, $"{values.Count} values; at most {MaxLayerValues} per layer.");
            return;
        }

        if (expectedLayers is not null && layer.Layer is { Length: > 0 } name && expectedLayers.TryGetValue(name, out var dimension) && dimension != values.Count)
        {
            violations.Add(field, $"layer '{name}' has {values.Count} values; the model's has {dimension}.");
            return;
        }

        for (var v = 0; v < values.Count; v++)
        {
            var value = values[v];
            if (!float.IsFinite(value))
            {
                violations.Add(field, $"value {v} is {value}; values must be finite.");
                return;
            }

            if (MathF.Abs(value) > MaxAbsValue)
            {
                violations.Add(field, $"value {v} is {value}; |value| must be at most {MaxAbsValue:0.#e0}.");
                return;
            }
        }
    }

    private static bool IsMadeOf(string? value, int maxLength, bool allowColonSlash)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength) return false;
        foreach (var c in value)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'
                || (allowColonSlash && c is ':' or '/');
            if (!ok) return false;
        }

        return true;
    }

    private static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c)) return true;
        }

        return false;
    }

    /// <summary>A hostile attribute name may be huge; a field name in an error stays short.</summary>
    private static string Shorten(string? key) =>
        key is null ? "(null)" : key.Length <= 32 ? key : key[..32] + "…";
}
