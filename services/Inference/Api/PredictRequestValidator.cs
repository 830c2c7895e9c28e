using System.Text.RegularExpressions;

namespace Streaming.Inference.Api;

/// <summary>Checks a request's shape and values; each error names the field and what is wrong.</summary>
public static partial class PredictRequestValidator
{
    public const int ImageSide = 28;
    public const int PixelsPerImage = ImageSide * ImageSide;
    public const int MaxAttributes = 32;

    public static Dictionary<string, string[]> Validate(PredictRequest request, int maxBatch)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.StreamId) || !StreamIdPattern().IsMatch(request.StreamId))
            errors["streamId"] = ["streamId is required: 1-128 characters of letters, digits, '.', '_' or '-'."];

        if (request.Images is null || request.Images.Length == 0)
        {
            errors["images"] = ["images is required: a non-empty array of images, each an array of 784 numbers (28x28 grayscale) in [0, 1]."];
        }
        else if (request.Images.Length > maxBatch)
        {
            errors["images"] = [$"images has {request.Images.Length} entries; at most {maxBatch} per request."];
        }
        else
        {
            for (var i = 0; i < request.Images.Length && errors.Count < 10; i++)
            {
                var image = request.Images[i];
                if (image is null || image.Length != PixelsPerImage)
                {
                    errors[$"images[{i}]"] = [$"expected {PixelsPerImage} values (a 28x28 grayscale image), got {image?.Length ?? 0}."];
                    continue;
                }

                for (var p = 0; p < image.Length; p++)
                {
                    if (!float.IsFinite(image[p]) || image[p] < 0f || image[p] > 1f)
                    {
                        errors[$"images[{i}]"] = [$"pixel {p} is {image[p]}; pixels must be finite numbers in [0, 1]."];
                        break;
                    }
                }
            }
        }

        if (request.Attributes is { Count: > MaxAttributes })
            errors["attributes"] = [$"at most {MaxAttributes} attributes."];

        if (request.ImageAttributes is { } perImage)
        {
            if (request.Images is not null && perImage.Length != request.Images.Length)
            {
                errors["imageAttributes"] = [$"imageAttributes has {perImage.Length} entries but images has {request.Images.Length}; give one entry (or null) per image."];
            }
            else
            {
                for (var i = 0; i < perImage.Length; i++)
                {
                    var merged = (request.Attributes?.Keys ?? Enumerable.Empty<string>()).Union(perImage[i]?.Keys ?? Enumerable.Empty<string>()).Count();
                    if (merged > MaxAttributes)
                    {
                        errors[$"imageAttributes[{i}]"] = [$"image {i} would carry {merged} attributes (request and image together); at most {MaxAttributes}."];
                        break;
                    }
                }
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex StreamIdPattern();
}
