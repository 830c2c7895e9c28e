using Streaming.Control.Workshop;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Demo;

/// <summary>One model of the demo, prepared: trained (or cached), its reference calibrated, its clean and FGSM images ready to send.</summary>
/// <param name="StreamPrefix">Its phases' streams are &lt;prefix&gt;-clean and &lt;prefix&gt;-attack.</param>
/// <param name="CleanPixels">The clean phase's images (traffic images outside the reference's seeded sample).</param>
/// <param name="AttackPixels">The FGSM images, made from the traffic images after the clean phase's.</param>
public sealed record DemoModel(CachedModel Cached, ModelManifest Manifest, string StreamPrefix, float[] CleanPixels, float[] AttackPixels, double AttackSuccessRate)
{
    public string CleanStream => $"{StreamPrefix}-clean";

    public string AttackStream => $"{StreamPrefix}-attack";
}
