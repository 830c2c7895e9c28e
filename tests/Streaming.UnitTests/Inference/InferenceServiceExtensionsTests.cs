using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Inference;
using Streaming.Inference.Extensions;

namespace Streaming.UnitTests.Inference;

/// <summary>AddInference runs both validators at start: the generated one (attributes) and the model choice (rules spanning fields).</summary>
public sealed class InferenceServiceExtensionsTests : IDisposable
{
    private readonly DirectoryInfo _model = Directory.CreateTempSubdirectory("inference-options-");

    public void Dispose() => _model.Delete(recursive: true);

    [Fact]
    public void AddInference_GoodSettings_Validates()
    {
        Assert.Equal(_model.FullName, Options(new() { ["Inference:ModelDirectory"] = _model.FullName }).ModelDirectory);
    }

    [Theory]
    [InlineData("Inference:MaxBatch", "0")]
    [InlineData("Inference:MaxRequestBytes", "10")]
    [InlineData("Inference:PublishTimeout", "00:00:00")]
    [InlineData("Inference:Topic", "")]
    public void AddInference_AttributeRuleBroken_FailsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(new() { ["Inference:ModelDirectory"] = _model.FullName, [key] = value }));

        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void AddInference_AttributeAndCrossFieldRulesBroken_NamesBothKeys()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(new() { ["Inference:MaxBatch"] = "0" }));

        Assert.Contains("Inference:MaxBatch", ex.Message);
        Assert.Contains("Inference:ModelDirectory", ex.Message);
    }

    private static InferenceOptions Options(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddInference();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value;
    }
}
