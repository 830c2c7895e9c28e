using System.Diagnostics;
using System.Text.Json.Nodes;
using Streaming.LocalStack;

namespace Streaming.IntegrationTests.Deployment;

/// <summary>
/// Runs Debian's docker-compose (v1.29, no engine needed for `config`) on a compose file with exactly the
/// variables given: the inherited ones of the same names are removed and an empty env file replaces any .env,
/// so a developer's own settings cannot make a "missing variable" test pass or fail.
/// </summary>
public static class DockerCompose
{
    public static readonly string Root = RepoPaths.Discover().Root;

    public static string RepositoryFile => Path.Combine(Root, "docker-compose.yml");

    /// <summary>Every variable the compose file requires, with a value that satisfies its consumer.</summary>
    public static IReadOnlyDictionary<string, string> RequiredVariables { get; } = new Dictionary<string, string>
    {
        ["REDIS_PASSWORD"] = "redis-test-password",
        ["RABBITMQ_PASSWORD"] = "rabbit-test-password",
        ["INFERENCE_API_KEY"] = "inference-test-key",
        ["ALERT_WEBHOOK_URL"] = "https://hooks.example.com/adversarial",
        ["ALERT_WEBHOOK_SECRET"] = "webhook-test-secret-0123456789",
    };

    private static readonly string[] OptionalVariables = ["INFERENCE_BIND_ADDRESS", "INFERENCE_PORT"];

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var emptyEnvFile = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.env");
        await File.WriteAllTextAsync(emptyEnvFile, "");
        try
        {
            var start = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
            foreach (var name in RequiredVariables.Keys.Concat(OptionalVariables)) start.Environment.Remove(name);
            foreach (var (name, value) in variables) start.Environment[name] = value;
            foreach (var argument in (string[])["--env-file", emptyEnvFile, "-f", file, .. arguments]) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose did not start; run infra/install-deps.sh.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            File.Delete(emptyEnvFile);
        }
    }

    /// <summary>
    /// The resolved configuration (`docker-compose config`, variables substituted, anchors merged) as JSON, converted
    /// by the YAML library docker-compose itself runs on (python3-yaml, a dependency of Debian's docker-compose).
    /// </summary>
    public static async Task<JsonObject> ResolvedAsync(IReadOnlyDictionary<string, string> variables)
    {
        var (exitCode, yaml) = await RunAsync(RepositoryFile, variables, "config");
        Assert.True(exitCode == 0, yaml);
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"]) start.ArgumentList.Add(argument);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.StandardInput.WriteAsync(yaml);
        python.StandardInput.Close();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await stderr);
        return JsonNode.Parse(await stdout)!.AsObject();
    }
}
