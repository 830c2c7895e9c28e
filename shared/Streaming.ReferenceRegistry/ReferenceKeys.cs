namespace Streaming.ReferenceRegistry;

/// <summary>
/// The registry's Redis keys under one prefix: per reference a metadata hash and the file's bytes;
/// the set of every id; the hash of active references (field "model\nversion", value the id); and
/// the version counter, incremented by every change, which readers poll to pick changes up.
/// </summary>
public sealed class ReferenceKeys(string prefix)
{
    public const string DefaultPrefix = "references:";

    public string Prefix { get; } = prefix;

    public string Ids => Prefix + "ids";

    public string Active => Prefix + "active";

    public string Version => Prefix + "version";

    public string Metadata(string id) => Prefix + "meta:" + id;

    public string Data(string id) => Prefix + "data:" + id;

    /// <summary>The field of <see cref="Active"/> of a model version (a newline cannot occur in either name from a header).</summary>
    public static string ActiveField(string model, string version) => model + "\n" + version;

    public static (string Model, string Version) ParseActiveField(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var split = field.IndexOf('\n', StringComparison.Ordinal);
        return split < 0 ? (field, "") : (field[..split], field[(split + 1)..]);
    }
}
