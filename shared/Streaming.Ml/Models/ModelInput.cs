namespace Streaming.Ml.Models;

/// <summary>
/// The input every served model takes: one 28x28 grey image, pixels in [0,1]. Defined here, with
/// the serving code, so that serving needs none of the data-set loaders (they live in the lab).
/// </summary>
public static class ModelInput
{
    public const int ImageSide = 28;
    public const int PixelsPerImage = ImageSide * ImageSide;
}
