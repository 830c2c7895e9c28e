using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.UnitTests.Alerting;

public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com")]
    [InlineData("https://hooks.example.com:8443/h?token=SECRET#frag", "https://hooks.example.com:8443")]
    [InlineData("http://user:SECRET@127.0.0.1:8080/x", "http://127.0.0.1:8080")]
    [InlineData("https://[::1]:9443/SECRET", "https://[::1]:9443")]
    [InlineData("https://hooks.example.com:443/SECRET", "https://hooks.example.com")]
    [InlineData("hooks.slack.com/services/SECRET", "[redacted]")]
    [InlineData(null, "[redacted]")]
    public void Redact_Url_OnlySchemeHostAndPort(string? url, string expected) =>
        Assert.Equal(expected, UrlRedaction.Redact(url));

    [Fact]
    public void Scrub_TextEchoingThePathQueryOrWholeUrl_ReplacesEachOccurrence()
    {
        var url = new Uri("https://hooks.example.com/services/T0/B0/XXXXSECRET?token=QSECRET");

        var text = UrlRedaction.Scrub(
            "404: no hook at /services/T0/B0/XXXXSECRET?token=QSECRET; tried https://hooks.example.com/services/T0/B0/XXXXSECRET?token=QSECRET; path /SERVICES/t0/b0/xxxxsecret; query token=QSECRET",
            url);

        Assert.DoesNotContain("SECRET", text, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("404: no hook at [redacted]", text);
    }

    [Fact]
    public void Scrub_RootPath_LeavesSlashesAlone()
    {
        Assert.Equal("HTTP 503 a/b", UrlRedaction.Scrub("HTTP 503 a/b", new Uri("https://hooks.example.com/")));
    }

    [Fact]
    public void ToString_Target_NamesHostButNotPathOrSecret()
    {
        var target = new WebhookTarget { Name = "slack", Url = "https://hooks.slack.com/services/T0/B0/XXXXSECRET", Secret = "SIGNINGSECRET" };

        Assert.Equal("slack (https://hooks.slack.com)", target.ToString());
    }
}
