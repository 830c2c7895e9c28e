using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;

namespace Streaming.IntegrationTests.WindowStore;

public sealed class WindowOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new WindowOptionsValidator().Validate(null, new WindowOptions()).Succeeded);
    }

    [Theory]
    [InlineData(1, 1, 2, "WindowStore:Size")]
    [InlineData(10, 0, 5, "WindowStore:Slide")]
    [InlineData(10, 11, 5, "WindowStore:Slide")]
    [InlineData(10, 5, 1, "WindowStore:MinSize")]
    [InlineData(10, 5, 11, "WindowStore:MinSize")]
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

        Assert.Contains(result.Failures!, f => f.StartsWith("WindowStore:MaxWait", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 1, 2, "WindowStore:ModelWide:Size")]
    [InlineData(10, 0, 5, "WindowStore:ModelWide:Slide")]
    [InlineData(10, 11, 5, "WindowStore:ModelWide:Slide")]
    [InlineData(10, 5, 1, "WindowStore:ModelWide:MinSize")]
    [InlineData(10, 5, 11, "WindowStore:ModelWide:MinSize")]
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
        Assert.DoesNotContain(result.Failures!, f => f.StartsWith("WindowStore:Size", StringComparison.Ordinal) || f.StartsWith("WindowStore:Slide", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ModelWideDisabledButInvalid_StillFails()
    {
        var options = new WindowOptions();
        options.ModelWide.Enabled = false;
        options.ModelWide.MaxWait = TimeSpan.Zero;

        var result = new WindowOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("WindowStore:ModelWide:MaxWait", StringComparison.Ordinal));
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
                ["WindowStore:ModelWide:Enabled"] = "false",
                ["WindowStore:ModelWide:Size"] = "200",
                ["WindowStore:ModelWide:Slide"] = "25",
                ["WindowStore:ModelWide:MinSize"] = "40",
                ["WindowStore:ModelWide:MaxWait"] = "00:00:05",
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
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WindowStore:ModelWide:Size"] = "10", ["WindowStore:ModelWide:Slide"] = "20" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRedisWindowWriter();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WindowOptions>>().Value);

        Assert.Contains("WindowStore:ModelWide:Slide", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisWindowWriter_InvalidConfiguration_OptionsThrowNamingTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WindowStore:Size"] = "10", ["WindowStore:Slide"] = "20" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRedisWindowWriter();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WindowOptions>>().Value);

        Assert.Contains("WindowStore:Slide", ex.Message, StringComparison.Ordinal);
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

        Assert.Contains("WindowStore:MinSize", ex.Message, StringComparison.Ordinal);
    }
}
