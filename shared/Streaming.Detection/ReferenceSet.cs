using Streaming.Detection.Scoring;

namespace Streaming.Detection;

/// <summary>The clean references of every tested layer of one model version.</summary>
public sealed record ReferenceSet(
    string Model,
    string ModelVersion,
    DateTimeOffset CreatedAt,
    IReadOnlyList<LayerReference> Layers)
{
    /// <summary>
    /// The held-out calibration split and reference labels that per-input scoring needs; null for a
    /// reference without them (a format v1 file). Checked against <see cref="Layers"/> when set.
    /// </summary>
    public CalibrationSplit? Calibration
    {
        get;
        init
        {
            value?.CheckAgainst(Layers);
            field = value;
        }
    }

    /// <summary>Format version of the file this set was loaded from (the current version for a set built in memory).</summary>
    public int FileFormatVersion { get; init; } = ReferenceFile.FormatVersion;

    /// <summary>Whether per-input scoring can use this set; when false, <see cref="MissingCalibrationMessage"/> says what to do.</summary>
    public bool HasCalibration => Calibration is not null;

    /// <summary>Why per-input scoring cannot use this set (names `control calibrate`); null when it can.</summary>
    public string? MissingCalibrationMessage => HasCalibration ? null : MissingCalibrationException.Describe(FileFormatVersion);

    /// <summary>The calibration split, or a <see cref="MissingCalibrationException"/> naming the command that writes one.</summary>
    public CalibrationSplit RequireCalibration() =>
        Calibration ?? throw new MissingCalibrationException(MissingCalibrationException.Describe(FileFormatVersion));

    public LayerReference? Find(string layer)
    {
        foreach (var reference in Layers)
        {
            if (string.Equals(reference.Layer, layer, StringComparison.Ordinal))
            {
                return reference;
            }
        }
        return null;
    }
}
