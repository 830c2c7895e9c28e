using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Windowing;
using Streaming.Windowing.Extensions;

namespace Streaming.UnitTests.Windowing;

public sealed class WindowingOptionsTests
{
    [Theory]
    [InlineData("Windowing:MaxBatch", "0")]
    [InlineData("Windowing:MaxBatch", "10001")]
    [InlineData("Windowing:AppendChunk", "0")]
    [InlineData("Windowing:AppendChunk", "10001")]
    public void AddWindowing_BatchSettingOutOfRange_FailsAtStartNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Validate(key, value));

        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void AddWindowing_MaxBatchInRange_StartsWithIt()
    {
        var provider = Validate("Windowing:MaxBatch", "64");

        Assert.Equal(64, provider.GetRequiredService<IOptions<WindowingOptions>>().Value.MaxBatch);
    }

    [Fact]
    public void AddWindowing_AppendChunkInRange_StartsWithIt()
    {
        var provider = Validate("Windowing:AppendChunk", "32");

        Assert.Equal(32, provider.GetRequiredService<IOptions<WindowingOptions>>().Value.AppendChunk);
    }

    private static ServiceProvider Validate(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = "localhost:6379",
            [key] = value,
        });
        builder.AddWindowing();
        var provider = builder.Services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }
}
