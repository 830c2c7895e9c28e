using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// The last check before a detection or an alert leaves the detector: every double and float field
/// of the message, nested messages included, is made finite. Nothing should be left to replace once
/// <see cref="FiniteOutcome"/> ran; this guards fields added later and paths that skip it, because a
/// NaN on the alerts topic stalls every JSON consumer downstream. A p-value becomes 1 (no evidence),
/// anything else 0.
/// </summary>
public static class FiniteFields
{
    /// <returns>How many values were replaced.</returns>
    public static int Replace(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var replaced = 0;
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (field.IsMap) continue; // maps of this contract hold strings only
            var value = field.Accessor.GetValue(message);
            switch (field.FieldType)
            {
                case FieldType.Double or FieldType.Float when field.IsRepeated:
                    var list = (System.Collections.IList)value;
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (Finite(list[i]!)) continue;
                        list[i] = Replacement(field);
                        replaced++;
                    }
                    break;
                case FieldType.Double or FieldType.Float:
                    if (Finite(value)) break;
                    field.Accessor.SetValue(message, Replacement(field));
                    replaced++;
                    break;
                case FieldType.Message when field.IsRepeated:
                    foreach (var item in (System.Collections.IEnumerable)value)
                        replaced += Replace((IMessage)item);
                    break;
                case FieldType.Message when value is IMessage nested:
                    replaced += Replace(nested);
                    break;
            }
        }

        return replaced;
    }

    private static bool Finite(object value) => value switch
    {
        double d => double.IsFinite(d),
        float f => float.IsFinite(f),
        _ => true,
    };

    private static object Replacement(FieldDescriptor field)
    {
        var isPValue = field.Name.EndsWith("p_value", StringComparison.Ordinal);
        return field.FieldType == FieldType.Float ? (isPValue ? 1f : 0f) : (isPValue ? 1d : 0d);
    }
}
