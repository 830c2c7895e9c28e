using System.Globalization;
using Streaming.Detection.Ilgpu;

namespace Streaming.WindowBench;

/// <summary>The bench's few options, parsed by hand to keep the published bench small.</summary>
internal sealed record Arguments(IlgpuTarget Target, IReadOnlyList<int> ReferenceCounts, IReadOnlyList<int> Batches, int Windows, string? Baseline, string? Output)
{
    /// <returns>Null when an option is unknown or malformed.</returns>
    public static Arguments? Parse(string[] args)
    {
        var parsed = new Arguments(IlgpuTarget.Auto, [1000, 10000], [1, 16], 64, null, null);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--target" when Enum.TryParse<IlgpuTarget>(value, ignoreCase: true, out var target):
                    parsed = parsed with { Target = target };
                    break;
                case "--n-ref" when Counts(value, smallest: 2) is { } counts:
                    parsed = parsed with { ReferenceCounts = counts };
                    break;
                case "--batch" when Counts(value, smallest: 1) is { } batches:
                    parsed = parsed with { Batches = batches };
                    break;
                case "--windows" when int.TryParse(value, CultureInfo.InvariantCulture, out int windows) && windows > 0:
                    parsed = parsed with { Windows = windows };
                    break;
                case "--baseline":
                    parsed = parsed with { Baseline = value };
                    break;
                case "--out":
                    parsed = parsed with { Output = value };
                    break;
                default:
                    return null;
            }
        }
        return args.Length % 2 == 0 ? parsed : null;
    }

    private static int[]? Counts(string value, int smallest)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], CultureInfo.InvariantCulture, out counts[i]) || counts[i] < smallest)
            {
                return null;
            }
        }
        return counts.Length == 0 ? null : counts;
    }
}
