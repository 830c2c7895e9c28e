using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Streaming.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml must be valid for Debian's docker-compose (no engine needed), describe the whole deployment,
/// and be hardened: secrets required (no defaults), only Inference and the console published (on loopback unless told otherwise),
/// restart policies, readiness health checks and health-gated start order, non-root containers.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly string[] Services = ["inference", "windowing", "detector", "alerting", "console"];

    [Fact]
    public async Task Config_RequiredVariablesSet_IsValid()
    {
        var (exitCode, output) = await DockerCompose.RunAsync(DockerCompose.RepositoryFile, DockerCompose.RequiredVariables, "config", "-q");

        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [InlineData("REDIS_PASSWORD")]
    [InlineData("RABBITMQ_PASSWORD")]
    [InlineData("INFERENCE_API_KEY")]
    [InlineData("ALERT_WEBHOOK_URL")]
    [InlineData("ALERT_WEBHOOK_SECRET")]
    public async Task Config_RequiredVariableMissing_FailsNamingIt(string missing)
    {
        var variables = DockerCompose.RequiredVariables.Where(v => v.Key != missing).ToDictionary();

        var (exitCode, output) = await DockerCompose.RunAsync(DockerCompose.RepositoryFile, variables, "config", "-q");

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"set {missing}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REDIS_PASSWORD")]
    [InlineData("RABBITMQ_PASSWORD")]
    [InlineData("INFERENCE_API_KEY")]
    [InlineData("ALERT_WEBHOOK_SECRET")]
    public async Task Config_RequiredSecretEmpty_FailsNamingIt(string empty)
    {
        var variables = DockerCompose.RequiredVariables.ToDictionary();
        variables[empty] = "";

        var (exitCode, output) = await DockerCompose.RunAsync(DockerCompose.RepositoryFile, variables, "config", "-q");

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"set {empty}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_ListsKafkaRedisRabbitMqAndTheFourServices()
    {
        var config = await DockerCompose.ResolvedAsync(DockerCompose.RequiredVariables);

        Assert.Subset(ServiceNames(config).ToHashSet(), new HashSet<string>(["kafka", "kafka-init", "redis", "rabbitmq", .. Services]));
        foreach (var service in Services)
        {
            // Each service is built by its own Dockerfile, which copies only what that service needs.
            var build = config["services"]![service]!["build"]!;
            Assert.Equal($"services/{char.ToUpperInvariant(service[0]) + service[1..]}/Dockerfile", (string?)build["dockerfile"]);
            Assert.True(File.Exists(Path.Combine(DockerCompose.Root, (string)build["dockerfile"]!)), $"{build["dockerfile"]} does not exist");
        }
    }

    [Fact]
    public async Task Config_Ports_OnlyInferenceAndConsolePublishOneEachOnLoopbackByDefault()
    {
        var config = await DockerCompose.ResolvedAsync(DockerCompose.RequiredVariables);

        var publishing = ServiceNames(config).Where(s => Service(config, s)["ports"] is JsonArray { Count: > 0 }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["console", "inference"], publishing);
        var port = Assert.Single(Service(config, "inference")["ports"]!.AsArray());
        Assert.Equal("127.0.0.1:8080:8080/tcp", (string?)port);
        var consolePort = Assert.Single(Service(config, "console")["ports"]!.AsArray());
        Assert.Equal("127.0.0.1:8081:8080/tcp", (string?)consolePort);
    }

    [Fact]
    public async Task Config_InferenceBindAddressSet_PublishesOnThatAddress()
    {
        var variables = DockerCompose.RequiredVariables.ToDictionary();
        variables["INFERENCE_BIND_ADDRESS"] = "10.1.2.3";

        var config = await DockerCompose.ResolvedAsync(variables);

        Assert.Equal("10.1.2.3:8080:8080/tcp", (string?)Assert.Single(Service(config, "inference")["ports"]!.AsArray()));
    }

    [Fact]
    public async Task Config_EveryService_HasARestartPolicyAndEveryLongRunningOneAHealthcheck()
    {
        var config = await DockerCompose.ResolvedAsync(DockerCompose.RequiredVariables);
        var oneShot = OneShotServices(config);

        foreach (var name in ServiceNames(config))
        {
            var restart = (string?)Service(config, name)["restart"];
            Assert.True(oneShot.Contains(name) ? restart == "on-failure" : restart is "unless-stopped" or "always", $"{name}: restart '{restart}'");
            if (oneShot.Contains(name)) continue;
            var test = Service(config, name)["healthcheck"]?["test"]?.AsArray().Select(t => (string?)t).ToList();
            Assert.True(test is { Count: > 1 } && test[0] is "CMD" or "CMD-SHELL", $"{name} has no health check.");
        }

        Assert.Equal(["kafka-init"], oneShot.Order());
    }

    [Fact]
    public async Task Config_EveryService_ProbesReadinessAndStartOnlyOnceWhatTheyNeedIsHealthy()
    {
        var config = await DockerCompose.ResolvedAsync(DockerCompose.RequiredVariables);
        var oneShot = OneShotServices(config);

        foreach (var name in Services)
        {
            var service = Service(config, name);
            Assert.Contains("http://localhost:8080/health/ready", service["healthcheck"]!["test"]!.AsArray().Select(t => (string?)t));
            var dependsOn = service["depends_on"]!.AsObject();
            Assert.Contains("kafka", dependsOn.Select(d => d.Key));
            foreach (var (dependency, condition) in dependsOn)
            {
                var expected = oneShot.Contains(dependency) ? "service_completed_successfully" : "service_healthy";
                Assert.True((string?)condition!["condition"] == expected, $"{name} -> {dependency}: {condition!["condition"]}");
            }
        }

        Assert.Contains("redis", Service(config, "windowing")["depends_on"]!.AsObject().Select(d => d.Key));
        Assert.Contains("redis", Service(config, "detector")["depends_on"]!.AsObject().Select(d => d.Key));
        // Inference keeps captured inputs in Redis; the console keeps its history there.
        Assert.Contains("redis", Service(config, "inference")["depends_on"]!.AsObject().Select(d => d.Key));
        Assert.Contains("redis", Service(config, "console")["depends_on"]!.AsObject().Select(d => d.Key));
        Assert.Subset(Service(config, "alerting")["depends_on"]!.AsObject().Select(d => d.Key).ToHashSet(), new HashSet<string> { "redis", "rabbitmq" });
    }

    [Fact]
    public async Task Config_Redis_KeepsAnAppendOnlyFileFsyncedEverySecondOnANamedVolume()
    {
        var config = await DockerCompose.ResolvedAsync(DockerCompose.RequiredVariables);

        var redis = Service(config, "redis");
        var command = redis["command"]!.AsArray().Select(t => (string?)t).ToList();
        Assert.Equal("yes", command[command.IndexOf("--appendonly") + 1]);
        Assert.Equal("everysec", command[command.IndexOf("--appendfsync") + 1]);
        // docker-compose 1.29 resolves a volume to "source:target:mode"; the source is a named volume, not a host path.
        var data = Assert.Single(redis["volumes"]!.AsArray().Select(v => ((string?)v)!.Split(':')), v => v[1] == "/data");
        Assert.Contains(data[0], config["volumes"]!.AsObject().Select(v => v.Key));
    }

    [Fact]
    public async Task Config_Secrets_ReachRedisRabbitMqInferenceAndAlertingAndNothingElse()
    {
        var variables = DockerCompose.RequiredVariables;
        var config = await DockerCompose.ResolvedAsync(variables);

        var redisCommand = Service(config, "redis")["command"]!.AsArray().Select(t => (string?)t).ToList();
        Assert.Equal(variables["REDIS_PASSWORD"], redisCommand[redisCommand.IndexOf("--requirepass") + 1]);
        foreach (var name in Services)
        {
            var connection = (string?)Service(config, name)["environment"]!["Redis__ConnectionString"];
            Assert.Contains($",password={variables["REDIS_PASSWORD"]}", connection, StringComparison.Ordinal);
        }

        Assert.Equal(variables["RABBITMQ_PASSWORD"], (string?)Service(config, "rabbitmq")["environment"]!["RABBITMQ_DEFAULT_PASS"]);
        Assert.Equal(variables["RABBITMQ_PASSWORD"], (string?)Service(config, "alerting")["environment"]!["Alerting__RabbitMq__Password"]);
        Assert.Equal(variables["INFERENCE_API_KEY"], (string?)Service(config, "inference")["environment"]!["Authentication__ApiKeys__0"]);
        Assert.Equal(variables["ALERT_WEBHOOK_SECRET"], (string?)Service(config, "alerting")["environment"]!["Alerting__Webhooks__0__Secret"]);
        Assert.Equal(variables["ALERT_WEBHOOK_URL"], (string?)Service(config, "alerting")["environment"]!["Alerting__Webhooks__0__Url"]);
        Assert.Null(Service(config, "windowing")["environment"]!["Authentication__ApiKeys__0"]);
    }

    [Theory]
    [InlineData("Inference")]
    [InlineData("Windowing")]
    [InlineData("Detector")]
    [InlineData("Alerting")]
    public void Dockerfile_FinalStage_RunsAsAFixedNonRootUid(string service)
    {
        var lines = File.ReadAllLines(Path.Combine(DockerCompose.Root, "services", service, "Dockerfile")).Select(l => l.Trim()).ToList();

        var finalStage = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))).ToList();
        var user = finalStage.LastOrDefault(l => l.StartsWith("USER ", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(user);
        var match = NumericUser().Match(user);
        Assert.True(match.Success, $"'{user}' does not name a numeric uid (orchestrators' runAsNonRoot needs one).");
        Assert.NotEqual(0, int.Parse(match.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(finalStage.FindLastIndex(l => l.StartsWith("USER ", StringComparison.OrdinalIgnoreCase)) > finalStage.FindLastIndex(l => l.StartsWith("RUN ", StringComparison.OrdinalIgnoreCase)),
            "USER must come after the last RUN, so the service itself never runs as root.");
        Assert.Contains(finalStage, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.Contains("/health/ready", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Config_BrokenFile_IsRejected()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, "version: \"3.8\"\nservices:\n  kafka:\n    image: [not, a, string]\n    depends_on: 7\n");
        try
        {
            var (exitCode, _) = await DockerCompose.RunAsync(broken, DockerCompose.RequiredVariables, "config", "-q");

            Assert.NotEqual(0, exitCode);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static IEnumerable<string> ServiceNames(JsonObject config) => config["services"]!.AsObject().Select(s => s.Key);

    private static JsonNode Service(JsonObject config, string name) => config["services"]![name]!;

    /// <summary>Services that others wait for with service_completed_successfully: they run once and exit.</summary>
    private static HashSet<string> OneShotServices(JsonObject config) =>
        config["services"]!.AsObject()
            .SelectMany(s => (IEnumerable<KeyValuePair<string, JsonNode?>>?)s.Value!["depends_on"]?.AsObject() ?? [])
            .Where(d => (string?)d.Value!["condition"] == "service_completed_successfully")
            .Select(d => d.Key)
            .ToHashSet();

    [GeneratedRegex(@"^USER\s+(?<uid>\d+)(:\d+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex NumericUser();
}
