using Streaming.Detection.WindowTest;

namespace Streaming.Detector.References;

/// <summary>What a window is tested against: a reference (possibly the version fallback), or why there is none.</summary>
/// <param name="UntestedStatus">Null when <paramref name="Tester"/> is set; else the detection's status.</param>
public sealed record ReferenceResolution(ReferenceTester? Tester, bool Fallback, string? UntestedStatus)
{
    public static ReferenceResolution Of(ReferenceTester tester, bool fallback = false) => new(tester, fallback, null);

    public static ReferenceResolution Without(string status) => new(null, false, status);
}
