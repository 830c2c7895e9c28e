using Microsoft.Extensions.Configuration;
using Streaming.Alerting.Options;
using Streaming.Alerting.Rules;

namespace Streaming.UnitTests.Alerting;

public sealed class AlertingOptionsValidatorTests
{
    [Fact]
    public void Validate_HttpsTargetAndStatelessRule_Succeeds()
    {
        var result = Validate(Options());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("MinSeverity", "urgent", "Alerting:Rules:0:MinSeverity must be one of low, medium, high (got 'urgent')")]
    [InlineData("ConsecutiveWindows", "0", "Alerting:Rules:0:ConsecutiveWindows must be between 1 and 10000")]
    [InlineData("Cooldown", "-00:00:01", "Alerting:Rules:0:Cooldown must be between")]
    [InlineData("Target", "nobody", "Alerting:Rules:0:Targets:0 'nobody' is not the Name of any Alerting:Webhooks entry")]
    [InlineData("Name", "", "Alerting:Rules:0:Name is required")]
    public void Validate_BadRule_FailsNamingTheKey(string field, string value, string expected)
    {
        var options = Options();
        var rule = options.Rules[0];
        switch (field)
        {
            case "MinSeverity": rule.MinSeverity = value; break;
            case "ConsecutiveWindows": rule.ConsecutiveWindows = int.Parse(value); break;
            case "Cooldown": rule.Cooldown = TimeSpan.Parse(value); break;
            case "Target": rule.Targets = [value]; break;
            case "Name": rule.Name = value; break;
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void Validate_StatefulRuleWithoutRedis_FailsNamingRedisKey()
    {
        var options = Options();
        options.Rules[0].Cooldown = TimeSpan.FromMinutes(1);

        var result = Validate(options);

        Assert.Contains("Redis:ConnectionString is required: Alerting:Rules:0 uses ConsecutiveWindows or Cooldown", result.FailureMessage);
        Assert.True(Validate(options, redis: "127.0.0.1:6379").Succeeded);
    }

    [Fact]
    public void Validate_SecretFileMissing_FailsNamingKeyWithoutSecret()
    {
        var options = Options();
        options.Webhooks[0].SecretFile = "/nonexistent/alerting-secret";

        var result = Validate(options);

        Assert.Contains("Alerting:Webhooks:0:Secret/SecretFile: SecretFile '/nonexistent/alerting-secret' does not exist.", result.FailureMessage);
    }

    [Fact]
    public void Validate_ShortSecret_FailsWithoutEchoingIt()
    {
        var options = Options();
        options.Webhooks[0].Secret = "hunter2";

        var result = Validate(options);

        Assert.Contains("Alerting:Webhooks:0:Secret/SecretFile: the signing secret must be at least 16 bytes.", result.FailureMessage);
        Assert.DoesNotContain("hunter2", result.FailureMessage);
    }

    [Fact]
    public void Validate_SecretFile_LoadsTrimmedContent()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  file-secret-0123456789\n");
            var target = new WebhookTarget { Name = "ops", Url = "https://hooks.example.com/", SecretFile = file };

            Assert.Null(TargetSecrets.Check(target));
            Assert.Equal("file-secret-0123456789"u8.ToArray(), TargetSecrets.Load(target));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Validate_PlainHttpTarget_FailsNamingUrlKey()
    {
        var options = Options();
        options.Webhooks[0].Url = "http://hooks.example.com/x";

        Assert.Contains("Alerting:Webhooks:0:Url must use https", Validate(options).FailureMessage);
    }

    [Fact]
    public void ToString_TargetWithSecret_DoesNotRevealIt()
    {
        var target = new WebhookTarget { Name = "ops", Url = "https://hooks.example.com/", Secret = "super-secret-value-123" };

        Assert.DoesNotContain("super-secret", target.ToString());
    }

    private static AlertingOptions Options() => new()
    {
        Webhooks = [new WebhookTarget { Name = "ops", Url = "https://hooks.example.com/ops" }],
        Rules = [new AlertRule { Name = "all-high", MinSeverity = "high", Targets = ["ops"] }],
    };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(AlertingOptions options, string? redis = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:ConnectionString"] = redis })
            .Build();
        return new AlertingOptionsValidator(configuration).Validate(null, options);
    }
}
