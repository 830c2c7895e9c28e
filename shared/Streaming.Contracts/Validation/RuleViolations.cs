namespace Streaming.Contracts.Validation;

/// <summary>
/// Collects violations, at most <see cref="Limit"/> (a hostile event with a million bad values
/// must not produce a million messages); later violations of an already named field are dropped.
/// </summary>
public sealed class RuleViolations
{
    public const int Limit = 20;

    private readonly List<RuleViolation> _items = [];
    private readonly HashSet<string> _fields = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public bool IsFull => _items.Count >= Limit;

    public IReadOnlyList<RuleViolation> Items => _items;

    public void Add(string field, string message)
    {
        if (IsFull || !_fields.Add(field)) return;
        _items.Add(new RuleViolation(field, message));
    }

    /// <summary>One line for logs and dead-letter reasons: "field: message; field: message".</summary>
    public string Describe() => string.Join("; ", _items);

    /// <summary>Field → messages, the shape of an RFC 7807 validation problem's "errors".</summary>
    public Dictionary<string, string[]> ToDictionary() =>
        _items.ToDictionary(v => v.Field, v => new[] { v.Message }, StringComparer.Ordinal);
}
