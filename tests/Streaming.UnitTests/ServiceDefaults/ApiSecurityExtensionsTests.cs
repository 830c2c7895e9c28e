using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.ServiceDefaults.Security;

namespace Streaming.UnitTests.ServiceDefaults;

public sealed class ApiSecurityExtensionsTests
{
    [Theory]
    [InlineData("RateLimits:Burst", "0")]
    [InlineData("RateLimits:ConcurrentRequests", "20000")]
    public void AddApiSecurity_RateLimitOutOfRange_FailsNamingTheKey(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddApiSecurity();
        using var host = builder.Build();

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ClientRateLimitOptions>>().Value);

        Assert.Contains(key, ex.Message);
    }
}
