using Microsoft.Extensions.Options;

namespace Streaming.Windows;

/// <summary>Rejects window settings that would never emit a window, naming the configuration key at fault.</summary>
public sealed class WindowOptionsValidator : IValidateOptions<WindowOptions>
{
    private const string S = WindowOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, WindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Size < 2)
            failures.Add($"{S}:Size must be at least 2 (a two-sample test needs several events), got {options.Size}.");
        if (options.Slide < 1 || options.Slide > options.Size)
            failures.Add($"{S}:Slide must be between 1 and {S}:Size ({options.Size}), got {options.Slide}.");
        if (options.MinSize < 2 || options.MinSize > options.Size)
            failures.Add($"{S}:MinSize must be between 2 and {S}:Size ({options.Size}), got {options.MinSize}.");
        if (options.MaxWait <= TimeSpan.Zero)
            failures.Add($"{S}:MaxWait must be positive, got {options.MaxWait}.");
        if (options.EventTtl <= TimeSpan.Zero)
            failures.Add($"{S}:EventTtl must be positive, got {options.EventTtl}.");
        if (options.DedupeTtl < options.EventTtl)
            failures.Add($"{S}:DedupeTtl ({options.DedupeTtl}) must be at least {S}:EventTtl ({options.EventTtl}), or a replayed event could be applied twice.");
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.IndexOfAny(['{', '}']) >= 0)
            failures.Add($"{S}:KeyPrefix must be non-empty and contain no braces (they would break Redis Cluster hash tags), got '{options.KeyPrefix}'.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
