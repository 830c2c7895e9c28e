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
    [InlineData("0")]
    [InlineData("10001")]
    public void AddWindowing_MaxBatchOutOfRange_FailsAtStartNamingTheKey(string maxBatch)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Validate(maxBatch));

        Assert.Contains("Windowing:MaxBatch", ex.Message);
    }

    [Fact]
    public void AddWindowing_MaxBatchInRange_StartsWithIt()
    {
        var provider = Validate("64");

        Assert.Equal(64, provider.GetRequiredService<IOptions<WindowingOptions>>().Value.MaxBatch);
    }

    private static ServiceProvider Validate(string maxBatch)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = "localhost:6379",
            ["Windowing:MaxBatch"] = maxBatch,
        });
        builder.AddWindowing();
        var provider = builder.Services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }
}
