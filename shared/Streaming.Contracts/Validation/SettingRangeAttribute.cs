using System.ComponentModel.DataAnnotations;

namespace Streaming.Contracts.Validation;

/// <summary>
/// [Range] for options validated by the options source generator ([OptionsValidator]). The generator
/// swaps a plain RangeAttribute for a generated copy whose message ignores ErrorMessage
/// (dotnet/runtime#123137), which would drop the configuration key every message of ours names;
/// a subclass is used as written, ErrorMessage included.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Bounds of another type (TimeSpan), parsed in the invariant culture.</summary>
    public SettingRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}
