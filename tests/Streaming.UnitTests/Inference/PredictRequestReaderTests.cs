using System.Text;
using System.Text.Json;
using Streaming.Contracts.Validation;
using Streaming.Inference.Api;

namespace Streaming.UnitTests.Inference;

public sealed class PredictRequestReaderTests
{
    private static string Image(float value = 0.5f) => "[" + string.Join(',', Enumerable.Repeat(value.ToString(System.Globalization.CultureInfo.InvariantCulture), 784)) + "]";

    private static (PredictRequest Request, RuleViolations Violations) Read(string json, int maxBatch = 8)
    {
        var violations = new RuleViolations();
        var request = PredictRequestReader.Read(Encoding.UTF8.GetBytes(json), maxBatch, violations);
        return (request, violations);
    }

    [Fact]
    public void Read_WellFormedRequest_KeepsEveryField()
    {
        var (request, violations) = Read($$$"""{"StreamId":"cam-1","images":[{{{Image()}}},{{{Image(1)}}}],"attributes":{"attack":"none"},"imageAttributes":[null,{"label":"3"}],"extra":{"a":[1,2]}}""");

        Assert.Equal(0, violations.Count);
        Assert.Equal("cam-1", request.StreamId);
        Assert.Equal(2, request.Images!.Length);
        Assert.Equal(1f, request.Images[1][783]);
        Assert.Equal("none", request.Attributes!["attack"]);
        Assert.Null(request.ImageAttributes![0]);
        Assert.Equal("3", request.ImageAttributes[1]!["label"]);
    }

    [Fact]
    public void Read_MillionsOfOnePixelImages_StopsAtTheBatchLimit()
    {
        var json = "{\"streamId\":\"s\",\"images\":[" + string.Join(',', Enumerable.Repeat("[0]", 4_000_000)) + "]}";

        var (request, violations) = Read(json, maxBatch: 256);

        Assert.Null(request.Images);
        Assert.Contains("more than 256 entries", Assert.Single(violations.Items).Message);
    }

    [Fact]
    public void Read_ImageWithTooManyValues_NamesTheImage()
    {
        var (_, violations) = Read("{\"images\":[" + Image() + ",[" + string.Join(',', Enumerable.Repeat("0", 5000)) + "]]}");

        Assert.Equal("images[1]", Assert.Single(violations.Items).Field);
    }

    [Fact]
    public void Read_NullAttributeValue_NamesTheAttribute()
    {
        var (_, violations) = Read($$$"""{"streamId":"s","images":[{{{Image()}}}],"attributes":{"label":null}}""");

        var violation = Assert.Single(violations.Items);
        Assert.Equal("attributes.label", violation.Field);
        Assert.Contains("not null", violation.Message);
    }

    [Fact]
    public void Read_WrongTypes_NameTheField()
    {
        Assert.Equal("streamId", Assert.Single(Read("{\"streamId\":7}").Violations.Items).Field);
        Assert.Equal("images[0][1]", Assert.Single(Read("{\"images\":[[0,\"x\"]]}").Violations.Items).Field);
        Assert.Equal("imageAttributes", Assert.Single(Read("{\"imageAttributes\":{}}").Violations.Items).Field);
    }

    [Fact]
    public void Read_NotJson_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => Read("{\"images\": [[0,"));
        Assert.ThrowsAny<JsonException>(() => Read("[1,2]"));
    }
}
