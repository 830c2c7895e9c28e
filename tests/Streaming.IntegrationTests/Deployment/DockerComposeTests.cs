using System.Diagnostics;
using Streaming.Control.Hosting;

namespace Streaming.IntegrationTests.Deployment;

/// <summary>docker-compose.yml must be valid for Debian's docker-compose (no engine needed) and describe the whole deployment.</summary>
public sealed class DockerComposeTests
{
    private static readonly string Root = RepoPaths.Discover().Root;

    [Fact]
    public async Task Config_RepositoryComposeFile_IsValid()
    {
        var (exitCode, output) = await DockerComposeAsync(Path.Combine(Root, "docker-compose.yml"), "config", "-q");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Config_ListsKafkaRedisRabbitMqAndTheFourServices()
    {
        var (exitCode, output) = await DockerComposeAsync(Path.Combine(Root, "docker-compose.yml"), "config", "--services");

        Assert.True(exitCode == 0, output);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Subset(services.ToHashSet(), new HashSet<string> { "kafka", "redis", "rabbitmq", "inference", "windowing", "detector", "alerting" });
        var dockerfile = File.ReadAllText(Path.Combine(Root, "infra", "docker", "service.Dockerfile"));
        Assert.Contains("HEALTHCHECK", dockerfile);
        foreach (var service in new[] { "Inference", "Windowing", "Detector", "Alerting" })
            Assert.Contains($"SERVICE: {service}", File.ReadAllText(Path.Combine(Root, "docker-compose.yml")));
    }

    [Fact]
    public async Task Config_BrokenFile_IsRejected()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, "version: \"3.8\"\nservices:\n  kafka:\n    image: [not, a, string]\n    depends_on: 7\n");
        try
        {
            var (exitCode, _) = await DockerComposeAsync(broken, "config", "-q");

            Assert.NotEqual(0, exitCode);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static async Task<(int ExitCode, string Output)> DockerComposeAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(file);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose did not start; run infra/install-deps.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
