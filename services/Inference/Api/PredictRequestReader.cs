using System.Text.Json;
using Streaming.Contracts.Validation;

namespace Streaming.Inference.Api;

/// <summary>
/// Reads a predict request with every count checked while reading, so the work and memory a request
/// costs are bounded by the limits, not by the body: four million one-pixel images are refused at
/// image MaxBatch + 1 instead of being materialised first. Property names match case-insensitively
/// (as System.Text.Json's web defaults); unknown properties are skipped. Malformed JSON throws
/// <see cref="JsonException"/>.
/// </summary>
public static class PredictRequestReader
{
    public static PredictRequest Read(ReadOnlySpan<byte> json, int maxBatch, RuleViolations violations)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("The body must be a JSON object: {\"streamId\": \"...\", \"images\": [[...]]}.");

        string? streamId = null;
        float[][]? images = null;
        Dictionary<string, string>? attributes = null;
        Dictionary<string, string>?[]? imageAttributes = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString() ?? "";
            reader.Read();
            if (name.Equals("streamId", StringComparison.OrdinalIgnoreCase))
                streamId = reader.TokenType == JsonTokenType.String ? reader.GetString() : Wrong(ref reader, "streamId", "a string", violations);
            else if (name.Equals("images", StringComparison.OrdinalIgnoreCase))
                images = ReadImages(ref reader, maxBatch, violations);
            else if (name.Equals("attributes", StringComparison.OrdinalIgnoreCase))
                attributes = ReadAttributes(ref reader, "attributes", violations);
            else if (name.Equals("imageAttributes", StringComparison.OrdinalIgnoreCase))
                imageAttributes = ReadImageAttributes(ref reader, maxBatch, violations);
            else
                reader.Skip();

            // A limit already broken: stop reading the rest of a possibly huge body.
            if (violations.Count > 0)
                break;
        }

        return new PredictRequest(streamId, images, attributes, imageAttributes);
    }

    private static float[][]? ReadImages(ref Utf8JsonReader reader, int maxBatch, RuleViolations violations)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            return Wrong<float[][]>(ref reader, "images", "an array of images", violations);

        var images = new List<float[]>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var field = $"images[{images.Count}]";
            if (images.Count == maxBatch)
            {
                violations.Add("images", $"images has more than {maxBatch} entries; at most {maxBatch} per request.");
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
                return Wrong<float[][]>(ref reader, field, $"an array of {PredictRequestValidator.PixelsPerImage} numbers", violations);
            var pixels = new float[PredictRequestValidator.PixelsPerImage];
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (count == pixels.Length)
                {
                    violations.Add(field, $"expected {PredictRequestValidator.PixelsPerImage} values (a 28x28 grayscale image), got more.");
                    return null;
                }

                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out pixels[count]))
                    return Wrong<float[][]>(ref reader, $"{field}[{count}]", "a number", violations);
                count++;
            }

            images.Add(count == pixels.Length ? pixels : pixels[..count]);
        }

        return [.. images];
    }

    private static Dictionary<string, string>? ReadAttributes(ref Utf8JsonReader reader, string field, RuleViolations violations)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            return Wrong<Dictionary<string, string>>(ref reader, field, "an object of string values", violations);

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString() ?? "";
            reader.Read();
            if (attributes.Count == EventRules.MaxAttributes)
            {
                violations.Add(field, $"at most {EventRules.MaxAttributes} attributes.");
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
                return Wrong<Dictionary<string, string>>(ref reader, $"{field}.{Shorten(key)}", "a string (attribute values are strings, not null)", violations);
            if (reader.ValueSpan.Length > EventRules.MaxAttributeValueLength * 6)
            {
                // Longer than any allowed value could be even fully escaped: refuse before decoding it.
                violations.Add($"{field}.{Shorten(key)}", $"attribute values are at most {EventRules.MaxAttributeValueLength} characters.");
                return null;
            }

            attributes[key] = reader.GetString() ?? "";
        }

        return attributes;
    }

    private static Dictionary<string, string>?[]? ReadImageAttributes(ref Utf8JsonReader reader, int maxBatch, RuleViolations violations)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            return Wrong<Dictionary<string, string>?[]>(ref reader, "imageAttributes", "an array with one object (or null) per image", violations);

        var perImage = new List<Dictionary<string, string>?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (perImage.Count == maxBatch)
            {
                violations.Add("imageAttributes", $"imageAttributes has more than {maxBatch} entries; at most one per image.");
                return null;
            }

            perImage.Add(ReadAttributes(ref reader, $"imageAttributes[{perImage.Count}]", violations));
            if (violations.Count > 0) return null;
        }

        return [.. perImage];
    }

    private static string? Wrong(ref Utf8JsonReader reader, string field, string expected, RuleViolations violations) =>
        Wrong<string>(ref reader, field, expected, violations);

    private static T? Wrong<T>(ref Utf8JsonReader reader, string field, string expected, RuleViolations violations)
        where T : class
    {
        violations.Add(field, $"expected {expected}, got {Describe(reader.TokenType)}.");
        return null;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Shorten(string key) => key.Length <= 32 ? key : key[..32] + "…";
}
