using System.Text;

namespace Streaming.Alerting.Options;

/// <summary>Reads a target's signing secret from configuration or from <see cref="WebhookTarget.SecretFile"/>.</summary>
public static class TargetSecrets
{
    /// <summary>The secret's bytes (UTF-8, surrounding whitespace trimmed), or null for an unsigned target.</summary>
    public static byte[]? Load(WebhookTarget target)
    {
        var text = target.SecretFile is { Length: > 0 } file ? File.ReadAllText(file) : target.Secret;
        return string.IsNullOrWhiteSpace(text) ? null : Encoding.UTF8.GetBytes(text.Trim());
    }

    /// <summary>Null when the secret settings are usable; the message never contains the secret itself.</summary>
    public static string? Check(WebhookTarget target)
    {
        if (!string.IsNullOrEmpty(target.Secret) && !string.IsNullOrEmpty(target.SecretFile))
            return "set either Secret or SecretFile, not both.";
        if (target.SecretFile is { Length: > 0 } file)
        {
            if (!File.Exists(file)) return $"SecretFile '{file}' does not exist.";
            if (string.IsNullOrWhiteSpace(File.ReadAllText(file))) return $"SecretFile '{file}' is empty.";
        }

        var secret = Load(target);
        if (secret is { Length: < 16 }) return "the signing secret must be at least 16 bytes.";
        return null;
    }
}
