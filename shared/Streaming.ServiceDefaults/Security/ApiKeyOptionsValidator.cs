using Microsoft.Extensions.Options;

namespace Streaming.ServiceDefaults.Security;

/// <summary>Checks every key at start, naming its configuration key (never printing the value).</summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (string.IsNullOrEmpty(key) || key.Length < MinKeyLength)
                problems.Add($"{ApiKeyOptions.SectionName}:ApiKeys:{i} must be at least {MinKeyLength} characters");
            else if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                problems.Add($"{ApiKeyOptions.SectionName}:ApiKeys:{i} must not contain whitespace or control characters");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
