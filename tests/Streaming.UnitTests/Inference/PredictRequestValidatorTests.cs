using Streaming.Inference.Api;

namespace Streaming.UnitTests.Inference;

public sealed class PredictRequestValidatorTests
{
    private static float[] Image(float value = 0.5f) => Enumerable.Repeat(value, 784).ToArray();

    [Fact]
    public void Validate_WellFormedBatch_HasNoErrors()
    {
        var errors = PredictRequestValidator.Validate(new PredictRequest("cam-1", [Image(), Image(0f), Image(1f)], null), maxBatch: 8);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_WrongPixelCount_NamesImageAndCount()
    {
        var errors = PredictRequestValidator.Validate(new PredictRequest("cam-1", [Image(), new float[100]], null), maxBatch: 8);

        var message = Assert.Single(errors["images[1]"]);
        Assert.Contains("got 100", message);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Validate_PixelOutOfRange_NamesPixel(float bad)
    {
        var image = Image();
        image[17] = bad;

        var errors = PredictRequestValidator.Validate(new PredictRequest("cam-1", [image], null), maxBatch: 8);

        Assert.Contains("pixel 17", Assert.Single(errors["images[0]"]));
    }

    [Fact]
    public void Validate_TooManyImages_SaysTheLimit()
    {
        var errors = PredictRequestValidator.Validate(new PredictRequest("cam-1", [Image(), Image(), Image()], null), maxBatch: 2);

        Assert.Contains("at most 2", Assert.Single(errors["images"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("{tag}")]
    public void Validate_BadStreamId_IsRejected(string? streamId)
    {
        var errors = PredictRequestValidator.Validate(new PredictRequest(streamId, [Image()], null), maxBatch: 8);

        Assert.True(errors.ContainsKey("streamId"));
    }

    [Fact]
    public void Validate_NoImages_IsRejected()
    {
        Assert.True(PredictRequestValidator.Validate(new PredictRequest("s", null, null), 8).ContainsKey("images"));
        Assert.True(PredictRequestValidator.Validate(new PredictRequest("s", [], null), 8).ContainsKey("images"));
    }
}
