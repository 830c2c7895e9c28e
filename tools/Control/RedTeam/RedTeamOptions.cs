using System.Globalization;
using Streaming.Lab.Attacks;

namespace Streaming.Control.RedTeam;

/// <summary>
/// What <c>control redteam</c> runs. <see cref="Strategies"/> are tokens <c>family[:attack]</c>: <c>clean</c>;
/// <c>mix</c> (every attack of <see cref="Attacks"/> at every share of <see cref="Shares"/>) or <c>mix:pgd</c>;
/// <c>spread</c> / <c>spread:fgsm</c> and <c>trickle</c> / <c>trickle:bim</c> (<see cref="DefaultCovertAttack"/>
/// when no attack is named).
/// </summary>
public sealed record RedTeamOptions
{
    public const string DefaultCovertAttack = "pgd";

    /// <summary>Budgets of the issue's targets: FGSM 0.1, PGD and BIM 0.3; other bounded attacks 0.3.</summary>
    public static IReadOnlyDictionary<string, double> DefaultEpsilons { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["fgsm"] = 0.1, ["fgsm-targeted"] = 0.1, ["pgd"] = 0.3, ["pgd-targeted"] = 0.3, ["bim"] = 0.3, ["bim-targeted"] = 0.3,
    };

    public const double FallbackEpsilon = 0.3;

    /// <summary>Images per request Inference accepts by default (Inference:MaxBatch).</summary>
    public const int MaxBatch = 256;

    /// <summary>A run of a minute or two, for a first look and for tests: PGD mixed at 20 % and spread, 300 images each, 200 permutations.</summary>
    public static RedTeamOptions Quick { get; } = new()
    {
        Strategies = ["mix:pgd", "spread"],
        Shares = [0.2],
        Images = 300,
        TrickleImages = 600,
        Permutations = 200,
    };

    public IReadOnlyList<string> Strategies { get; init; } = ["clean", "mix", "spread", "trickle"];

    public IReadOnlyList<string> Attacks { get; init; } = ["fgsm", "pgd", "bim", "deepfool"];

    public IReadOnlyList<double> Shares { get; init; } = [0.05, 0.1, 0.2];

    /// <summary>L-inf budget per attack; attacks not named here take <see cref="DefaultEpsilons"/>.</summary>
    public IReadOnlyDictionary<string, double> Epsilons { get; init; } = new Dictionary<string, double>();

    /// <summary>Images per strategy (clean, mix and spread; rounded up to whole windows per stream).</summary>
    public int Images { get; init; } = 1000;

    /// <summary>Images of a trickle strategy: a long run.</summary>
    public int TrickleImages { get; init; } = 3000;

    /// <summary>Trickle: clean inputs between two adversarial ones.</summary>
    public int TrickleEvery { get; init; } = 50;

    /// <summary>Spread: share of adversarial inputs among all images.</summary>
    public double SpreadShare { get; init; } = 0.1;

    /// <summary>Spread: clean streams of the normal traffic.</summary>
    public int SpreadStreams { get; init; } = 4;

    /// <summary>Images per second offered.</summary>
    public double Rate { get; init; } = 200;

    public int BatchSize { get; init; } = 10;

    /// <summary>Per-stream window of the pipeline (embedded: configured; a running pipeline: what it is configured with).</summary>
    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    /// <summary>Embedded pipeline only.</summary>
    public int Permutations { get; init; } = 500;

    /// <summary>Embedded pipeline only.</summary>
    public double Alpha { get; init; } = 0.05;

    public int Seed { get; init; } = 1;

    /// <summary>Model the attacks are computed against (default .artifacts/models/small-cnn).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>A running pipeline; null: start the embedded one.</summary>
    public RedTeamTarget? Target { get; init; }

    /// <summary>How long to wait for a strategy's windows after its last request.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After the expected windows: no new window of the strategy for this long (model-wide windows, alerts).</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Slack when matching a window's last-event timestamp (Inference's clock) to a strategy's sending interval (this machine's).</summary>
    public TimeSpan ClockTolerance { get; init; } = TimeSpan.FromSeconds(1);

    public TrafficShape Shape => new(BatchSize, WindowSize, WindowSlide);

    public double EpsilonOf(string attack) =>
        Epsilons.TryGetValue(attack, out var eps) ? eps : DefaultEpsilons.TryGetValue(attack, out var fallback) ? fallback : FallbackEpsilon;

    /// <summary>The strategies to run, in order; throws naming the token or setting that is wrong.</summary>
    public IReadOnlyList<RedTeamStrategy> Expand()
    {
        Validate();
        var result = new List<RedTeamStrategy>();
        foreach (var token in Strategies)
        {
            var parts = token.Split(':', 2, StringSplitOptions.TrimEntries);
            var family = parts[0].ToLowerInvariant();
            var named = parts.Length == 2 ? CheckAttack(parts[1], token) : null;
            switch (family)
            {
                case "clean" when named is null:
                    result.Add(new RedTeamStrategy(StrategyFamily.Clean, null, null, 0, Images));
                    break;
                case "mix":
                    foreach (var attack in named is null ? Attacks : [named])
                    {
                        foreach (var share in Shares)
                            result.Add(new RedTeamStrategy(StrategyFamily.Mix, attack, Budget(attack), share, Images));
                    }

                    break;
                case "spread":
                    var spread = named ?? DefaultCovertAttack;
                    result.Add(new RedTeamStrategy(StrategyFamily.Spread, spread, Budget(spread), SpreadShare, Images) { CleanStreams = SpreadStreams });
                    break;
                case "trickle":
                    var trickle = named ?? DefaultCovertAttack;
                    result.Add(new RedTeamStrategy(StrategyFamily.Trickle, trickle, Budget(trickle), 1.0 / (TrickleEvery + 1), TrickleImages) { TrickleEvery = TrickleEvery });
                    break;
                default:
                    throw new ArgumentException($"--strategies: '{token}' is not a strategy; use clean, mix[:attack], spread[:attack] or trickle[:attack].");
            }
        }

        if (result.Count == 0) throw new ArgumentException("--strategies: no strategy given.");
        var duplicate = result.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"--strategies: {duplicate.Key} is asked for twice.");
        foreach (var strategy in result) strategy.Validate();
        return result;
    }

    private double? Budget(string attack) => AttackSpec.Parse(attack, 0).IsBounded ? EpsilonOf(attack) : null;

    private static string CheckAttack(string attack, string token)
    {
        var name = attack.ToLowerInvariant();
        if (!AttackSpec.KnownNames.Contains(name))
            throw new ArgumentException($"--strategies: '{token}' names an unknown attack; known: {string.Join(", ", AttackSpec.KnownNames)}.");
        return name;
    }

    private void Validate()
    {
        foreach (var attack in Attacks)
            CheckAttack(attack, attack);
        foreach (var (attack, eps) in Epsilons)
        {
            if (!AttackSpec.KnownNames.Contains(attack)) throw new ArgumentException($"--eps: unknown attack '{attack}'.");
            if (!(eps > 0 && eps <= 1)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--eps: {attack}={eps} must be in (0, 1]."));
        }

        if (Shares.Count == 0 || Shares.Any(s => !(s > 0 && s <= 1))) throw new ArgumentException("--shares: every share must be in (0, 1].");
        if (Images <= 0) throw new ArgumentException("--images must be positive.");
        if (TrickleImages <= 0) throw new ArgumentException("--trickle-images must be positive.");
        if (TrickleEvery <= 0) throw new ArgumentException("--trickle-every must be positive.");
        if (!(SpreadShare > 0 && SpreadShare < 1)) throw new ArgumentException("--spread-share must be in (0, 1).");
        if (SpreadStreams <= 0) throw new ArgumentException("--spread-streams must be positive.");
        if (!(Rate > 0) || double.IsInfinity(Rate)) throw new ArgumentException("--rate must be a positive number of images per second.");
        if (BatchSize <= 0 || BatchSize > MaxBatch) throw new ArgumentException($"--batch must be in [1, {MaxBatch}] (Inference:MaxBatch by default).");
        if (WindowSize < 2) throw new ArgumentException("--window must be at least 2.");
        if (WindowSlide <= 0 || WindowSlide > WindowSize) throw new ArgumentException("--slide must be in [1, --window].");
        if (Permutations < 10) throw new ArgumentException("--permutations must be at least 10.");
        if (!(Alpha > 0 && Alpha < 1)) throw new ArgumentException("--alpha must be in (0, 1).");
    }
}
