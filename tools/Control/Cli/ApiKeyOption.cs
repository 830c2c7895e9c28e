using System.CommandLine;
using Streaming.ServiceDefaults.Security;

namespace Streaming.Control.Cli;

/// <summary>
/// <c>--api-key</c> of every command that calls a running service's API: sent in the
/// <see cref="ApiKeyAuthenticationHandler.HeaderName"/> header. Without the option the key comes from
/// <see cref="EnvironmentVariable"/> (the variable docker-compose.yml gives Inference its key from), so
/// the key need not appear on a command line, where other users of the machine can see it. Without
/// either, no key is sent: a service without keys lets loopback clients in.
/// </summary>
public static class ApiKeyOption
{
    public const string Name = "--api-key";

    public const string EnvironmentVariable = "INFERENCE_API_KEY";

    public static Option<string?> Create()
    {
        var option = new Option<string?>(Name)
        {
            Description = $"API key sent as {ApiKeyAuthenticationHandler.HeaderName} (default: {EnvironmentVariable}; none for a service on loopback without keys).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } key ? key : null,
        };
        option.Validators.Add(result =>
        {
            // Never quote the key: the error line may end up in a log.
            if (result.GetValueOrDefault<string?>() is { } key && (key.Length == 0 || key.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
                result.AddError($"{Name}: the key is empty or contains whitespace or control characters.");
        });
        return option;
    }

    /// <summary>Makes every request of <paramref name="http"/> carry <paramref name="key"/>, when there is one.</summary>
    public static void Apply(HttpClient http, string? key)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (key is not null)
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
    }
}
