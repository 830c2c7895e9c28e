using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Windowing;
using Streaming.Windowing.Extensions;

namespace Streaming.UnitTests.Windowing;

public sealed class WindowingServiceExtensionsTests
{
    [Theory]
    [InlineData("Windowing:FlushInterval", "00:00:00")]
    [InlineData("Windowing:GroupId", "")]
    public void AddWindowing_BadSetting_FailsNamingTheKey(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddWindowing();
        using var host = builder.Build();

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WindowingOptions>>().Value);

        Assert.Contains(key, ex.Message);
    }
}
