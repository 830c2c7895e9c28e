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

    [Fact]
    public void Validate_ImageAttributesOnePerImage_HasNoErrors()
    {
        var request = new PredictRequest("cam-1", [Image(), Image()], new() { ["attack"] = "none" }, [new() { ["label"] = "3" }, null]);

        Assert.Empty(PredictRequestValidator.Validate(request, maxBatch: 8));
    }

    [Fact]
    public void Validate_ImageAttributesCountMismatch_SaysBothCounts()
    {
        var request = new PredictRequest("cam-1", [Image(), Image()], null, [new() { ["label"] = "3" }]);

        var message = Assert.Single(PredictRequestValidator.Validate(request, maxBatch: 8)["imageAttributes"]);
        Assert.Contains("1 entries but images has 2", message);
    }

    [Fact]
    public void Validate_ImageAttributesOverTheLimitTogether_NamesTheImage()
    {
        var shared = Enumerable.Range(0, 20).ToDictionary(i => $"r{i}", i => "x");
        var own = Enumerable.Range(0, 13).ToDictionary(i => $"i{i}", i => "x");
        var request = new PredictRequest("cam-1", [Image(), Image()], shared, [null, own]);

        Assert.Contains("33 attributes", Assert.Single(PredictRequestValidator.Validate(request, maxBatch: 8)["imageAttributes[1]"]));
    }

    [Fact]
    public void Validate_ReservedStreamId_NamesStreamIdAndTheReservedPrefix()
    {
        var errors = PredictRequestValidator.Validate(new PredictRequest("__model", [Image()], null), maxBatch: 8);

        Assert.Contains("'__'", Assert.Single(errors["streamId"]), StringComparison.Ordinal);
    }
}
