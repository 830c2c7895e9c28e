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
    [InlineData("Kinds", "attack", "Alerting:Rules:0:Kinds must hold adversarial, shift or unknown (got 'attack')")]
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
            case "Kinds": rule.Kinds = [value]; break;
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Theory]
    [InlineData("Topic", "Alerting:Topic is required")]
    [InlineData("Webhooks", "Alerting:Webhooks must list at least one target")]
    [InlineData("AttemptTimeout", "Alerting:AttemptTimeout must be between")]
    [InlineData("MaxRetries", "Alerting:MaxRetries must be between 0 and 100")]
    [InlineData("FailureRatio", "Alerting:CircuitBreaker:FailureRatio must be in (0, 1]")]
    [InlineData("BreakDuration", "Alerting:CircuitBreaker:BreakDuration must be between")]
    [InlineData("MaxRedeliveries", "Alerting:Redelivery:MaxRedeliveries must be between 0 and 1000")]
    public void Validate_BadPlainSetting_FailsNamingTheKey(string field, string expected)
    {
        var options = Options();
        switch (field)
        {
            case "Topic": options.Topic = " "; break;
            case "Webhooks": options.Webhooks = []; options.Rules = []; break;
            case "AttemptTimeout": options.AttemptTimeout = TimeSpan.FromMilliseconds(1); break;
            case "MaxRetries": options.MaxRetries = 101; break;
            case "FailureRatio": options.CircuitBreaker.FailureRatio = 0; break;
            case "BreakDuration": options.CircuitBreaker.BreakDuration = TimeSpan.FromDays(2); break;
            case "MaxRedeliveries": options.Redelivery.MaxRedeliveries = -1; break;
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

    [Theory]
    [InlineData("ops\n", "Alerting:Webhooks:0:Name 'ops\\u000A' contains the control character U+000A")]
    [InlineData("opérations", "Alerting:Webhooks:0:Name 'op\\u00E9rations' contains the non-ASCII character U+00E9")]
    public void Validate_TargetNameNotFitForTheIdempotencyKeyHeader_FailsNamingTheKey(string name, string expected)
    {
        var options = Options();
        options.Webhooks[0].Name = name;
        options.Rules[0].Targets = [name];

        Assert.Contains(expected, Validate(options).FailureMessage);
    }

    [Fact]
    public void Validate_UrlWithSecretPathNotAbsolute_MessageOmitsTheUrl()
    {
        var options = Options();
        options.Webhooks[0].Url = "hooks.slack.com/services/T0/B0/XXXXSECRET";

        var message = Validate(options).FailureMessage;

        Assert.Contains("Alerting:Webhooks:0:Url must be an absolute http(s) URL", message);
        Assert.DoesNotContain("SECRET", message);
    }

    [Fact]
    public void ToString_TargetWithSecret_DoesNotRevealIt()
    {
        var target = new WebhookTarget { Name = "ops", Url = "https://hooks.example.com/", Secret = "super-secret-value-123" };

        Assert.DoesNotContain("super-secret", target.ToString());
    }

    [Theory]
    [InlineData("kafka", "Alerting:Transport must be rabbitmq or inmemory (got 'kafka')")]
    [InlineData("", "Alerting:Transport must be rabbitmq or inmemory (got '')")]
    public void Validate_UnknownTransport_FailsNamingTheKey(string transport, string expected)
    {
        var options = Options();
        options.Transport = transport;

        Assert.Contains(expected, Validate(options).FailureMessage);
    }

    [Fact]
    public void Validate_RabbitMqTransportWithoutHost_FailsNamingHostKey()
    {
        var options = Options();
        options.Transport = "rabbitmq";

        Assert.Contains("Alerting:RabbitMq:Host is required with Alerting:Transport 'rabbitmq'", Validate(options).FailureMessage);
        options.RabbitMq.Host = "rabbit.internal";
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Validate_RabbitMqBadPortOrConcurrency_FailsNamingTheKeys()
    {
        var options = Options();
        options.Transport = "RabbitMQ";
        options.RabbitMq.Host = "rabbit.internal";
        options.RabbitMq.Port = 0;
        options.ConcurrentDeliveries = 0;

        var message = Validate(options).FailureMessage;

        Assert.Contains("Alerting:RabbitMq:Port must be between 1 and 65535 (got 0)", message);
        Assert.Contains("Alerting:ConcurrentDeliveries must be between 1 and 1000", message);
    }

    [Fact]
    public void Validate_RedeliveryWithoutRedis_FailsNamingBothKeys()
    {
        var options = Options();
        options.Redelivery.MaxRedeliveries = 3;

        Assert.Contains("Redis:ConnectionString is required: Alerting:Redelivery:MaxRedeliveries is 3", Validate(options).FailureMessage);
        Assert.True(Validate(options, redis: "127.0.0.1:6379").Succeeded);
    }

    [Fact]
    public void Validate_RedeliveryMaxDelayBelowBaseDelay_FailsNamingTheKey()
    {
        var options = Options();
        options.Redelivery.MaxRedeliveries = 3;
        options.Redelivery.BaseDelay = TimeSpan.FromMinutes(5);
        options.Redelivery.MaxDelay = TimeSpan.FromMinutes(1);

        Assert.Contains("Alerting:Redelivery:MaxDelay must be between Alerting:Redelivery:BaseDelay and 1.00:00:00 (got 00:01:00)",
            Validate(options, redis: "127.0.0.1:6379").FailureMessage);
    }

    [Fact]
    public void Defaults_AreDurable()
    {
        var defaults = new AlertingOptions();

        Assert.Equal("rabbitmq", defaults.Transport);
        Assert.True(defaults.Redelivery.Enabled);
    }

    // In-memory transport and no retry store: the tests above need neither a broker nor Redis.
    private static AlertingOptions Options() => new()
    {
        Webhooks = [new WebhookTarget { Name = "ops", Url = "https://hooks.example.com/ops" }],
        Rules = [new AlertRule { Name = "all-high", MinSeverity = "high", Targets = ["ops"] }],
        Transport = "inmemory",
        Redelivery = new RedeliverySettings { MaxRedeliveries = 0 },
    };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(AlertingOptions options, string? redis = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:ConnectionString"] = redis })
            .Build();
        // Both validators the service registers: the generated attribute rules and the cross-field ones.
        var failures = new[] { new AlertingOptionsValidator().Validate(null, options), new AlertingCrossFieldValidator(configuration).Validate(null, options) }
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures!)
            .ToList();
        return failures.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
