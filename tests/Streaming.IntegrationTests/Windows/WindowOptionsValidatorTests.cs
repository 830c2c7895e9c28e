using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.Windows;

namespace Streaming.IntegrationTests.Windows;

public sealed class WindowOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new WindowOptionsValidator().Validate(null, new WindowOptions()).Succeeded);
    }

    [Theory]
    [InlineData(1, 1, 2, "Windows:Size")]
    [InlineData(10, 0, 5, "Windows:Slide")]
    [InlineData(10, 11, 5, "Windows:Slide")]
    [InlineData(10, 5, 1, "Windows:MinSize")]
    [InlineData(10, 5, 11, "Windows:MinSize")]
    public void Validate_OutOfRange_FailureNamesTheKey(int size, int slide, int minSize, string key)
    {
        var options = new WindowOptions { Size = size, Slide = slide, MinSize = minSize };

        var result = new WindowOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonPositiveMaxWait_FailureNamesTheKey()
    {
        var result = new WindowOptionsValidator().Validate(null, new WindowOptions { MaxWait = TimeSpan.Zero });

        Assert.Contains(result.Failures!, f => f.StartsWith("Windows:MaxWait", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 1, 2, "Windows:ModelWide:Size")]
    [InlineData(10, 0, 5, "Windows:ModelWide:Slide")]
    [InlineData(10, 11, 5, "Windows:ModelWide:Slide")]
    [InlineData(10, 5, 1, "Windows:ModelWide:MinSize")]
    [InlineData(10, 5, 11, "Windows:ModelWide:MinSize")]
    public void Validate_ModelWideOutOfRange_FailureNamesTheModelWideKey(int size, int slide, int minSize, string key)
    {
        var options = new WindowOptions();
        options.ModelWide.Size = size;
        options.ModelWide.Slide = slide;
        options.ModelWide.MinSize = minSize;

        var result = new WindowOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key + " ", StringComparison.Ordinal));
        // The stream windows' settings are fine and not blamed.
        Assert.DoesNotContain(result.Failures!, f => f.StartsWith("Windows:Size", StringComparison.Ordinal) || f.StartsWith("Windows:Slide", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ModelWideDisabledButInvalid_StillFails()
    {
        var options = new WindowOptions();
        options.ModelWide.Enabled = false;
        options.ModelWide.MaxWait = TimeSpan.Zero;

        var result = new WindowOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("Windows:ModelWide:MaxWait", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_ModelWideOnWithTheStreamWindowsShape()
    {
        var options = new WindowOptions();

        Assert.True(options.ModelWide.Enabled);
        Assert.Equal((100, 50, 20, TimeSpan.FromSeconds(30)), (options.ModelWide.Size, options.ModelWide.Slide, options.ModelWide.MinSize, options.ModelWide.MaxWait));
    }

    [Fact]
    public void AddRedisWindowWriter_ModelWideConfiguration_BindsEveryKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Windows:ModelWide:Enabled"] = "false",
                ["Windows:ModelWide:Size"] = "200",
                ["Windows:ModelWide:Slide"] = "25",
                ["Windows:ModelWide:MinSize"] = "40",
                ["Windows:ModelWide:MaxWait"] = "00:00:05",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRedisWindowWriter();
        using var provider = services.BuildServiceProvider();

        var modelWide = provider.GetRequiredService<IOptions<WindowOptions>>().Value.ModelWide;

        Assert.Equal((false, 200, 25, 40, TimeSpan.FromSeconds(5)), (modelWide.Enabled, modelWide.Size, modelWide.Slide, modelWide.MinSize, modelWide.MaxWait));
    }

    [Fact]
    public void AddRedisWindowWriter_InvalidModelWideConfiguration_OptionsThrowNamingTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Windows:ModelWide:Size"] = "10", ["Windows:ModelWide:Slide"] = "20" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRedisWindowWriter();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WindowOptions>>().Value);

        Assert.Contains("Windows:ModelWide:Slide", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisWindowWriter_InvalidConfiguration_OptionsThrowNamingTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Windows:Size"] = "10", ["Windows:Slide"] = "20" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRedisWindowWriter();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WindowOptions>>().Value);

        Assert.Contains("Windows:Slide", ex.Message, StringComparison.Ordinal);
    }
}

[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterOptionsTests(RedisFixture redis)
{
    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKey()
    {
        var options = Options.Create(new WindowOptions { Size = 10, MinSize = 1 });

        var ex = Assert.Throws<OptionsValidationException>(() => new RedisWindowWriter(redis.Connection, options, TimeProvider.System));

        Assert.Contains("Windows:MinSize", ex.Message, StringComparison.Ordinal);
    }
}
