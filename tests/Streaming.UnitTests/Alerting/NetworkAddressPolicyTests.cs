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
    // Private: allowed only with AllowPrivateNetworks.
    [InlineData("127.0.0.1", DestinationClass.Private)]
    [InlineData("10.1.2.3", DestinationClass.Private)]
    [InlineData("172.16.0.1", DestinationClass.Private)]
    [InlineData("192.168.1.1", DestinationClass.Private)]
    [InlineData("100.64.0.1", DestinationClass.Private)]
    [InlineData("100.127.255.255", DestinationClass.Private)]
    [InlineData("::1", DestinationClass.Private)]
    [InlineData("fd12:3456::1", DestinationClass.Private)]
    [InlineData("::ffff:192.168.0.1", DestinationClass.Private)]
    // Link-local and cloud metadata: never, whatever the setting.
    [InlineData("169.254.169.254", DestinationClass.Forbidden)]
    [InlineData("169.254.0.1", DestinationClass.Forbidden)]
    [InlineData("::ffff:169.254.169.254", DestinationClass.Forbidden)]
    [InlineData("fe80::1", DestinationClass.Forbidden)]
    [InlineData("febf:ffff::1", DestinationClass.Forbidden)]
    [InlineData("fd00:ec2::254", DestinationClass.Forbidden)]
    [InlineData("100.100.100.200", DestinationClass.Forbidden)]
    [InlineData("168.63.129.16", DestinationClass.Forbidden)]
    // Unspecified, multicast, broadcast, reserved.
    [InlineData("0.0.0.0", DestinationClass.Forbidden)]
    [InlineData("0.1.2.3", DestinationClass.Forbidden)]
    [InlineData("::", DestinationClass.Forbidden)]
    [InlineData("224.0.0.1", DestinationClass.Forbidden)]
    [InlineData("240.0.0.1", DestinationClass.Forbidden)]
    [InlineData("255.255.255.255", DestinationClass.Forbidden)]
    [InlineData("ff02::1", DestinationClass.Forbidden)]
    // NAT64, well-known prefix 64:ff9b::/96: judged by the IPv4 address in the last 32 bits.
    [InlineData("64:ff9b::8.8.8.8", DestinationClass.Public)]
    [InlineData("64:ff9b::10.0.0.1", DestinationClass.Private)]
    [InlineData("64:ff9b::127.0.0.1", DestinationClass.Private)]
    [InlineData("64:ff9b::169.254.169.254", DestinationClass.Forbidden)]
    [InlineData("64:ff9b::100.100.100.200", DestinationClass.Forbidden)]
    // NAT64, local-use prefix 64:ff9b:1::/48 (and the rest of 64:ff9b::/32): refused outright.
    [InlineData("64:ff9b:1::808:808", DestinationClass.Forbidden)]
    [InlineData("64:ff9b:1:ffff::a00:1", DestinationClass.Forbidden)]
    [InlineData("64:ff9b:2::808:808", DestinationClass.Forbidden)]
    // 6to4, 2002::/16: judged by the IPv4 address in bits 16-47.
    [InlineData("2002:808:808::1", DestinationClass.Public)]
    [InlineData("2002:a00:1::1", DestinationClass.Private)]
    [InlineData("2002:7f00:1::", DestinationClass.Private)]
    [InlineData("2002:a9fe:a9fe::1", DestinationClass.Forbidden)]
    [InlineData("2002:e000:1::1", DestinationClass.Forbidden)]
    // Teredo, 2001::/32: refused outright (the destination is an obfuscated address behind a NAT).
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", DestinationClass.Forbidden)]
    [InlineData("2001::1", DestinationClass.Forbidden)]
    // Deprecated IPv4-compatible (::/96) and IPv4-translated (::ffff:0:0:0/96) forms.
    [InlineData("::10.0.0.1", DestinationClass.Forbidden)]
    [InlineData("::8.8.8.8", DestinationClass.Forbidden)]
    [InlineData("::ffff:0:808:808", DestinationClass.Forbidden)]
    // Public: just outside the ranges above.
    [InlineData("8.8.8.8", DestinationClass.Public)]
    [InlineData("100.100.100.201", DestinationClass.Private)]   // CGNAT, beside the Alibaba metadata address
    [InlineData("169.253.255.255", DestinationClass.Public)]
    [InlineData("100.128.0.1", DestinationClass.Public)]
    [InlineData("2001:1::1", DestinationClass.Public)]
    [InlineData("2001:db9::1", DestinationClass.Public)]
    [InlineData("2003::1", DestinationClass.Public)]
    [InlineData("64:ff9a::808:808", DestinationClass.Public)]
    [InlineData("fec0::1", DestinationClass.Private)]
    public void Classify_Address_IsInItsRange(string address, DestinationClass expected) =>
        Assert.Equal(expected, NetworkAddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    public void IsAllowed_MetadataOrTunnelWithPrivateNetworksAllowed_StillFalse(string address) =>
        Assert.False(NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivateNetworks: true));

    [Theory]
    [InlineData("10.0.0.1", false, false)]
    [InlineData("10.0.0.1", true, true)]
    [InlineData("64:ff9b::a00:1", true, true)]
    [InlineData("64:ff9b::a00:1", false, false)]
    [InlineData("8.8.8.8", false, true)]
    public void IsAllowed_PrivateAddress_FollowsTheSetting(string address, bool allowPrivateNetworks, bool expected) =>
        Assert.Equal(expected, NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivateNetworks));

    [Theory]
    [InlineData("https://hooks.example.com/x", false, null)]
    [InlineData("http://hooks.example.com/x", false, "must use https")]
    [InlineData("https://127.0.0.1/x", false, "loopback, link-local or private")]
    [InlineData("https://localhost:8443/x", false, "loopback, link-local or private")]
    [InlineData("https://169.254.169.254/latest/meta-data", false, "link-local, cloud metadata, multicast or tunnelled address")]
    [InlineData("https://[::1]/x", false, "loopback, link-local or private")]
    [InlineData("https://10.0.0.5/x", true, null)]
    [InlineData("https://169.254.169.254/latest/meta-data", true, "which no setting allows")]
    [InlineData("https://[fd00:ec2::254]/latest/meta-data", true, "which no setting allows")]
    [InlineData("https://100.100.100.200/latest/meta-data", true, "which no setting allows")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/x", true, "which no setting allows")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", true, "which no setting allows")]
    [InlineData("https://[2002:a00:1::1]/x", false, "loopback, link-local or private")]
    [InlineData("https://[2002:808:808::1]/x", false, null)]
    [InlineData("https://user:pw@hooks.example.com/x", false, "credentials")]
    [InlineData("ftp://hooks.example.com/x", false, "absolute http(s) URL (got scheme 'ftp')")]
    [InlineData("hooks.slack.com/services/T0/B0/SECRET", false, "absolute http(s) URL (got a value that is not an absolute URL)")]
    [InlineData("/relative", false, "absolute http(s) URL")]
    public void Check_Url_AcceptsOrExplains(string url, bool allowPrivate, string? expectedProblem)
    {
        var problem = WebhookUrlPolicy.Check(url, new AlertingOptions { AllowPrivateNetworks = allowPrivate });

        if (expectedProblem is null) Assert.Null(problem);
        else Assert.Contains(expectedProblem, problem);
        // The URL is a credential: a message never repeats its path.
        Assert.DoesNotContain("SECRET", problem ?? "");
        Assert.DoesNotContain("/x", problem ?? "");
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
