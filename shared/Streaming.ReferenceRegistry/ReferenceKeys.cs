namespace Streaming.ReferenceRegistry;

/// <summary>
/// The registry's Redis keys under one prefix: per reference a metadata hash and the file's bytes;
/// the set of every id; the hash of active references (field "model\nversion", value the id); and
/// the version counter, incremented by every change, which readers poll to pick changes up.
/// Every key starts with the prefix as a hash tag ("{references}:…"), so on a Redis Cluster all of
/// them live in one slot and a change stays one MULTI/EXEC transaction.
/// </summary>
public sealed class ReferenceKeys
{
    public const string DefaultPrefix = "references:";

    private readonly string _tagged;

    public ReferenceKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.IndexOfAny(['{', '}']) >= 0)
            throw new ArgumentException($"The registry's key prefix '{prefix}' must not contain braces (it becomes a Redis Cluster hash tag).", nameof(prefix));
        Prefix = prefix;
        _tagged = "{" + prefix.TrimEnd(':') + "}:";
    }

    public string Prefix { get; }

    public string Ids => _tagged + "ids";

    public string Active => _tagged + "active";

    public string Version => _tagged + "version";

    public string Metadata(string id) => _tagged + "meta:" + id;

    public string Data(string id) => _tagged + "data:" + id;

    /// <summary>The field of <see cref="Active"/> of a model version (a newline cannot occur in either name from a header).</summary>
    public static string ActiveField(string model, string version) => model + "\n" + version;

    public static (string Model, string Version) ParseActiveField(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var split = field.IndexOf('\n', StringComparison.Ordinal);
        return split < 0 ? (field, "") : (field[..split], field[(split + 1)..]);
    }
}
