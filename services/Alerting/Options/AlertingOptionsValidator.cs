using Microsoft.Extensions.Options;

namespace Streaming.Alerting.Options;

/// <summary>Checks <see cref="AlertingOptions"/> at start; every message names the configuration key at fault.</summary>
public sealed class AlertingOptionsValidator : IValidateOptions<AlertingOptions>
{
    // Polly refuses attempt timeouts outside [10 ms, 1 day] and delays above 1 day.
    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);
    private const int MaxRetriesLimit = 100;

    public ValidateOptionsResult Validate(string? name, AlertingOptions options)
    {
        const string s = AlertingOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Topic))
            failures.Add($"{s}:Topic is required.");
        if (string.IsNullOrWhiteSpace(options.GroupId))
            failures.Add($"{s}:GroupId is required.");
        if (options.Webhooks.Count == 0)
            failures.Add($"{s}:Webhooks must list at least one target ({{ Name, Url }}); without one every alert would be dropped.");

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var target = options.Webhooks[i];
            if (string.IsNullOrWhiteSpace(target.Name))
                failures.Add($"{s}:Webhooks:{i}:Name is required.");
            else if (!names.Add(target.Name))
                failures.Add($"{s}:Webhooks:{i}:Name '{target.Name}' is used by another webhook; names must be unique.");
            if (!IsHttpUrl(target.Url))
                failures.Add($"{s}:Webhooks:{i}:Url must be an absolute http(s) URL (got '{target.Url}').");
        }

        if (options.AttemptTimeout < MinAttemptTimeout || options.AttemptTimeout > MaxDuration)
            failures.Add($"{s}:AttemptTimeout must be between 00:00:00.010 and 1.00:00:00 (got {options.AttemptTimeout}).");
        if (options.MaxRetries is < 0 or > MaxRetriesLimit)
            failures.Add($"{s}:MaxRetries must be between 0 and {MaxRetriesLimit} (got {options.MaxRetries}).");
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > MaxDuration)
            failures.Add($"{s}:RetryBaseDelay must be between 00:00:00 and 1.00:00:00 (got {options.RetryBaseDelay}).");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
