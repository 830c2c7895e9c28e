using System.Text.RegularExpressions;
using Streaming.Contracts;

namespace Streaming.Inference.Api;

/// <summary>
/// Checks an activation event computed outside this service before it is published: the same rules the
/// windowing service enforces, reported per field (prefixed with the event's position in a batch).
/// </summary>
public static partial class ActivationEventValidator
{
    private const int MaxErrors = 20;

    public static void Validate(ActivationEvent activation, string prefix, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(errors);
        var header = activation.Header;
        if (header is null)
        {
            errors[prefix + "header"] = ["header is required (schema_version, event_id, model, model_version, stream_id, timestamp)."];
        }
        else
        {
            if (!SchemaVersions.IsSupported(header.SchemaVersion))
                errors[prefix + "header.schemaVersion"] = [$"schema_version is {header.SchemaVersion}; this service accepts {SchemaVersions.Current}."];
            if (string.IsNullOrWhiteSpace(header.EventId) || header.EventId.Length > 128)
                errors[prefix + "header.eventId"] = ["event_id is required: a unique id of at most 128 characters."];
            if (string.IsNullOrWhiteSpace(header.Model))
                errors[prefix + "header.model"] = ["model is required."];
            if (string.IsNullOrWhiteSpace(header.ModelVersion))
                errors[prefix + "header.modelVersion"] = ["model_version is required."];
            if (!StreamIdPattern().IsMatch(header.StreamId))
                errors[prefix + "header.streamId"] = ["stream_id is required: 1-128 characters of letters, digits, '.', '_' or '-'."];
            if (header.Timestamp is null)
                errors[prefix + "header.timestamp"] = ["timestamp is required."];
        }

        if (activation.Layers.Count == 0)
        {
            errors[prefix + "layers"] = ["layers is required: at least one layer with a name and values."];
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < activation.Layers.Count && errors.Count < MaxErrors; i++)
        {
            var layer = activation.Layers[i];
            var field = $"{prefix}layers[{i}]";
            if (string.IsNullOrWhiteSpace(layer.Layer))
                errors[field + ".layer"] = ["layer name must not be empty."];
            else if (!seen.Add(layer.Layer))
                errors[field + ".layer"] = [$"layer '{layer.Layer}' appears more than once."];
            if (layer.Values.Count == 0)
            {
                errors[field + ".values"] = ["values must not be empty."];
                continue;
            }

            for (var v = 0; v < layer.Values.Count; v++)
            {
                if (!float.IsFinite(layer.Values[v]))
                {
                    errors[field + ".values"] = [$"value {v} is {layer.Values[v]}; values must be finite."];
                    break;
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex StreamIdPattern();
}
