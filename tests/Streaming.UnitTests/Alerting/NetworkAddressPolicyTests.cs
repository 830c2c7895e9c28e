using System.Net;
using Streaming.Alerting.Options;
using Streaming.Alerting.Safety;

namespace Streaming.UnitTests.Alerting;

public sealed class NetworkAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.3.2.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void IsPrivateOrLocal_InternalAddress_True(string address) =>
        Assert.True(NetworkAddressPolicy.IsPrivateOrLocal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("193.168.1.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsPrivateOrLocal_PublicAddress_False(string address) =>
        Assert.False(NetworkAddressPolicy.IsPrivateOrLocal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://hooks.example.com/x", false, null)]
    [InlineData("http://hooks.example.com/x", false, "must use https")]
    [InlineData("https://127.0.0.1/x", false, "loopback, link-local or private")]
    [InlineData("https://localhost:8443/x", false, "loopback, link-local or private")]
    [InlineData("https://169.254.169.254/latest/meta-data", false, "loopback, link-local or private")]
    [InlineData("https://[::1]/x", false, "loopback, link-local or private")]
    [InlineData("https://10.0.0.5/x", true, null)]
    [InlineData("https://user:pw@hooks.example.com/x", false, "credentials")]
    [InlineData("ftp://hooks.example.com/x", false, "absolute http(s) URL")]
    [InlineData("/relative", false, "absolute http(s) URL")]
    public void Check_Url_AcceptsOrExplains(string url, bool allowPrivate, string? expectedProblem)
    {
        var problem = WebhookUrlPolicy.Check(url, new AlertingOptions { AllowPrivateNetworks = allowPrivate });

        if (expectedProblem is null) Assert.Null(problem);
        else Assert.Contains(expectedProblem, problem);
    }

    [Fact]
    public void Check_HttpHostInAllowlist_Accepted()
    {
        var options = new AlertingOptions { AllowInsecureHosts = ["Hooks.Internal.Example"] };

        Assert.Null(WebhookUrlPolicy.Check("http://hooks.internal.example/x", options));
        Assert.Contains("AllowInsecureHosts", WebhookUrlPolicy.Check("http://other.example/x", options));
    }

    [Fact]
    public void Check_HttpLoopbackAllowlistedButPrivateNotAllowed_StillRefused()
    {
        var options = new AlertingOptions { AllowInsecureHosts = ["127.0.0.1"] };

        Assert.Contains("AllowPrivateNetworks", WebhookUrlPolicy.Check("http://127.0.0.1:8080/x", options));
    }
}
