using Streaming.Contracts.Validation;

namespace Streaming.Inference.Api;

/// <summary>
/// Checks a request's shape and values; each error names the field and what is wrong. Ids and
/// attributes follow the contract's <see cref="EventRules"/>, since they go into every event.
/// </summary>
public static class PredictRequestValidator
{
    public const int ImageSide = 28;
    public const int PixelsPerImage = ImageSide * ImageSide;
    public const int MaxAttributes = EventRules.MaxAttributes;

    public static Dictionary<string, string[]> Validate(PredictRequest request, int maxBatch)
    {
        var violations = new RuleViolations();
        Validate(request, maxBatch, violations);
        return violations.ToDictionary();
    }

    public static void Validate(PredictRequest request, int maxBatch, RuleViolations violations)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(violations);
        if (!EventRules.IsClientStreamId(request.StreamId))
            violations.Add("streamId", $"streamId is required: {EventRules.ClientStreamIdRule}.");

        if (request.Images is null || request.Images.Length == 0)
        {
            violations.Add("images", $"images is required: a non-empty array of images, each an array of {PixelsPerImage} numbers (28x28 grayscale) in [0, 1].");
        }
        else if (request.Images.Length > maxBatch)
        {
            violations.Add("images", $"images has {request.Images.Length} entries; at most {maxBatch} per request.");
        }
        else
        {
            for (var i = 0; i < request.Images.Length && !violations.IsFull; i++)
                CheckImage(request.Images[i], $"images[{i}]", violations);
        }

        if (request.Attributes is { } shared)
            EventRules.CheckAttributes(shared.Select(Nullable), "attributes", violations);

        if (request.ImageAttributes is { } perImage)
        {
            if (request.Images is not null && perImage.Length != request.Images.Length)
            {
                violations.Add("imageAttributes", $"imageAttributes has {perImage.Length} entries but images has {request.Images.Length}; give one entry (or null) per image.");
                return;
            }

            for (var i = 0; i < perImage.Length && !violations.IsFull; i++)
            {
                if (perImage[i] is not { } own) continue;
                EventRules.CheckAttributes(own.Select(Nullable), $"imageAttributes[{i}]", violations);
                var merged = (request.Attributes?.Keys ?? Enumerable.Empty<string>()).Union(own.Keys).Count();
                if (merged > MaxAttributes)
                    violations.Add($"imageAttributes[{i}]", $"image {i} would carry {merged} attributes (request and image together); at most {MaxAttributes}.");
            }
        }
    }

    private static void CheckImage(float[]? image, string field, RuleViolations violations)
    {
        if (image is null || image.Length != PixelsPerImage)
        {
            violations.Add(field, $"expected {PixelsPerImage} values (a 28x28 grayscale image), got {image?.Length ?? 0}.");
            return;
        }

        for (var p = 0; p < image.Length; p++)
        {
            if (!float.IsFinite(image[p]) || image[p] < 0f || image[p] > 1f)
            {
                violations.Add(field, $"pixel {p} is {image[p]}; pixels must be finite numbers in [0, 1].");
                return;
            }
        }
    }

    private static KeyValuePair<string, string?> Nullable(KeyValuePair<string, string> pair) => new(pair.Key, pair.Value);
}
