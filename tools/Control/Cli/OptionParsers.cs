using System.CommandLine.Parsing;
using Streaming.Control.Replay;

namespace Streaming.Control.Cli;

/// <summary>
/// Custom parsers for option types System.CommandLine 2.0 cannot convert by itself (it has no converter for
/// <see cref="Uri"/> and reports that only when the value is read, as an unhandled exception) and for values
/// that are better refused at parse time than deep inside a run. Each failure is one line naming the option.
/// </summary>
public static class OptionParsers
{
    /// <summary>An absolute http:// or https:// address.</summary>
    public static Uri? HttpUrl(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = SingleToken(result);
        if (text is null) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
            return uri;
        result.AddError($"{OptionName(result)}: '{text}' is not an absolute http:// or https:// URL (e.g. http://127.0.0.1:8080).");
        return null;
    }

    /// <summary>A replay boundary: an offset (every partition) or an ISO 8601 timestamp.</summary>
    public static ReplayBoundary? Boundary(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = SingleToken(result);
        if (text is null) return null;
        try
        {
            return ReplayBoundary.Parse(text);
        }
        catch (ArgumentException ex)
        {
            result.AddError($"{OptionName(result)}: {ex.Message}");
            return null;
        }
    }

    /// <summary>A half-open index range "start:end" (end exclusive), e.g. 0:5000.</summary>
    public static (int Start, int End)? IndexRange(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = SingleToken(result);
        if (text is null) return null;
        var parts = text.Split(':', 2);
        if (parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var end)
            && start < end)
            return (start, end);
        result.AddError($"{OptionName(result)}: '{text}' is not a range start:end with start < end (end exclusive), e.g. 0:5000.");
        return null;
    }

    /// <summary>One of <typeparamref name="TEnum"/>'s names, case-insensitive, written in lower case in the error (e.g. images, events).</summary>
    public static TEnum? OneOf<TEnum>(ArgumentResult result)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = SingleToken(result);
        if (text is null) return null;
        // Enum.TryParse also takes numbers ("1") and lists ("a,b"); only a plain name is a value here.
        if (Enum.GetNames<TEnum>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
            return Enum.Parse<TEnum>(name);
        result.AddError($"{OptionName(result)}: '{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}.");
        return null;
    }

    private static string? SingleToken(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
