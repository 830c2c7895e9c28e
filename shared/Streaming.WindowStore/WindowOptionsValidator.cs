using Microsoft.Extensions.Options;

namespace Streaming.WindowStore;

/// <summary>Rejects window settings that would never emit a window, naming the configuration key at fault.</summary>
public sealed class WindowOptionsValidator : IValidateOptions<WindowOptions>
{
    private const string S = WindowOptions.SectionName;
    private const string M = S + ":" + ModelWideWindowOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, WindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        CheckShape(S, options.Size, options.Slide, options.MinSize, options.MaxWait, failures);
        if (options.EventTtl <= TimeSpan.Zero)
            failures.Add($"{S}:EventTtl must be positive, got {options.EventTtl}.");
        if (options.DedupeTtl < options.EventTtl)
            failures.Add($"{S}:DedupeTtl ({options.DedupeTtl}) must be at least {S}:EventTtl ({options.EventTtl}), or a replayed event could be applied twice.");
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.IndexOfAny(['{', '}']) >= 0)
            failures.Add($"{S}:KeyPrefix must be non-empty and contain no braces (they would break Redis Cluster hash tags), got '{options.KeyPrefix}'.");

        // Checked even while disabled, so that enabling it can never reveal a setting that fails.
        if (options.ModelWide is null)
            failures.Add($"{M} must not be null.");
        else
            CheckShape(M, options.ModelWide.Size, options.ModelWide.Slide, options.ModelWide.MinSize, options.ModelWide.MaxWait, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The rules a window's size, slide and time flush follow, for the stream windows and the model-wide one alike.</summary>
    private static void CheckShape(string section, int size, int slide, int minSize, TimeSpan maxWait, List<string> failures)
    {
        if (size < 2)
            failures.Add($"{section}:Size must be at least 2 (a two-sample test needs several events), got {size}.");
        if (slide < 1 || slide > size)
            failures.Add($"{section}:Slide must be between 1 and {section}:Size ({size}), got {slide}.");
        if (minSize < 2 || minSize > size)
            failures.Add($"{section}:MinSize must be between 2 and {section}:Size ({size}), got {minSize}.");
        if (maxWait <= TimeSpan.Zero)
            failures.Add($"{section}:MaxWait must be positive, got {maxWait}.");
    }
}
