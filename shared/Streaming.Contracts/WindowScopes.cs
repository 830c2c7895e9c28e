namespace Streaming.Contracts;

/// <summary>
/// What a window spans (WindowReady.scope): one (model, stream), or one model across all its
/// streams, so that inputs an attacker spreads over many stream ids are still tested together.
/// </summary>
/// <remarks>
/// Why a reserved stream id: a model-wide window, and the detection and alert derived from it, carry
/// a header like every event, and every consumer checks every header with the same rules
/// (<see cref="Validation.EventRules.CheckHeader"/>): the stream id must be 1-128 of
/// [A-Za-z0-9._-]. A marker outside that charset ("*", "/", an empty id) would fail those checks, be
/// a Kafka key or Redis hash tag nobody else expects, or collide with the '/' that separates model
/// and stream in window ids. Every valid id, though, is one a client could send; so ids starting
/// with <see cref="ReservedStreamIdPrefix"/> are refused at ingestion (POST /v1/predict,
/// POST /v1/activations and every consumer of activations, through EventRules.CheckActivation), and
/// the model-wide windows use <see cref="ModelWideStreamId"/> from that namespace. A whole prefix
/// rather than one name leaves room for other derived scopes without refusing more client ids later.
/// The <c>scope</c> field says the same thing explicitly, for consumers that should not have to
/// know the reserved name.
/// </remarks>
public static class WindowScopes
{
    /// <summary>A window of one (model, stream); also what an empty scope (older events) means.</summary>
    public const string Stream = "stream";

    /// <summary>A window of one model across all its streams.</summary>
    public const string Model = "model";

    /// <summary>Stream ids starting with this are reserved for streams the system derives; clients are refused them.</summary>
    public const string ReservedStreamIdPrefix = "__";

    /// <summary>The stream id in the header of model-wide windows, and of their detections and alerts.</summary>
    public const string ModelWideStreamId = "__model";

    /// <summary>True for stream ids no client may use (see <see cref="ReservedStreamIdPrefix"/>).</summary>
    public static bool IsReservedStreamId(string? streamId) =>
        streamId is not null && streamId.StartsWith(ReservedStreamIdPrefix, StringComparison.Ordinal);

    /// <summary>The scope of a window, detection or alert: <see cref="Model"/> or <see cref="Stream"/> (empty means stream).</summary>
    public static bool IsModelWide(string? scope) => string.Equals(scope, Model, StringComparison.Ordinal);
}
