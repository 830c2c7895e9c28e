using System.CommandLine;
using System.Net;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.Lab.Attacks;
using Streaming.LocalStack;

namespace Streaming.Control.RedTeam;

/// <summary>
/// <c>control redteam</c>: evasion strategies (low-rate mixing, stream spreading, trickle) against the embedded
/// pipeline or a running one; per strategy the windows tested, alerts, time to the first alert and the
/// precision and recall of the flagged events against the ground truth it sent.
/// </summary>
public static class RedTeamCommand
{
    public static Command Create()
    {
        var d = new RedTeamOptions();
        var strategies = new Option<IReadOnlyList<string>>("--strategies")
        {
            Description = "Comma-separated: clean, mix (every --attacks at every --shares) or mix:ATTACK, spread[:ATTACK], trickle[:ATTACK] (pgd when none is named).",
            CustomParser = RedTeamArguments.Names, DefaultValueFactory = _ => d.Strategies,
        };
        var attacks = new Option<IReadOnlyList<string>>("--attacks")
        {
            Description = $"Attacks mixed in by 'mix', comma-separated (known: {string.Join(", ", AttackSpec.KnownNames)}).",
            CustomParser = RedTeamArguments.Names, DefaultValueFactory = _ => d.Attacks,
        };
        var shares = new Option<IReadOnlyList<double>>("--shares") { Description = "Shares of adversarial inputs of 'mix', comma-separated.", CustomParser = RedTeamArguments.Shares, DefaultValueFactory = _ => d.Shares };
        var eps = new Option<IReadOnlyDictionary<string, double>>("--eps")
        {
            Description = "L-inf budgets, e.g. fgsm=0.1,pgd=0.3 (defaults: fgsm 0.1, pgd and bim 0.3; DeepFool has none).",
            CustomParser = RedTeamArguments.Epsilons, DefaultValueFactory = _ => d.Epsilons,
        };
        var images = new Option<int>("--images") { Description = "Images per clean, mix and spread strategy (rounded up to whole windows).", DefaultValueFactory = _ => d.Images };
        var trickleImages = new Option<int>("--trickle-images") { Description = "Images of a trickle strategy.", DefaultValueFactory = _ => d.TrickleImages };
        var trickleEvery = new Option<int>("--trickle-every") { Description = "Trickle: one adversarial input per this many clean ones.", DefaultValueFactory = _ => d.TrickleEvery };
        var spreadShare = new Option<double>("--spread-share") { Description = "Spread: share of adversarial inputs, each on a new stream id.", DefaultValueFactory = _ => d.SpreadShare };
        var spreadStreams = new Option<int>("--spread-streams") { Description = "Spread: clean streams of the normal traffic.", DefaultValueFactory = _ => d.SpreadStreams };
        var rate = new Option<double>("--rate") { Description = "Images per second sent.", DefaultValueFactory = _ => d.Rate };
        var batch = new Option<int>("--batch") { Description = "Images per request.", DefaultValueFactory = _ => d.BatchSize };
        var window = new Option<int>("--window") { Description = "Per-stream window size (embedded: configured; --url: the pipeline's).", DefaultValueFactory = _ => d.WindowSize };
        var slide = new Option<int>("--slide") { Description = "Per-stream window slide (embedded: configured; --url: the pipeline's).", DefaultValueFactory = _ => d.WindowSlide };
        var permutations = new Option<int>("--permutations") { Description = "Permutations of the embedded Detector.", DefaultValueFactory = _ => d.Permutations };
        var alpha = new Option<double>("--alpha") { Description = "False-alarm rate of the embedded Detector.", DefaultValueFactory = _ => d.Alpha };
        var seed = new Option<int>("--seed") { Description = "Seed of the traffic plans and the attacks' random draws.", DefaultValueFactory = _ => d.Seed };
        var model = new Option<string?>("--model") { Description = "Model the attacks are computed against and the embedded pipeline serves (default .artifacts/models/small-cnn)." };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers of a running pipeline (with --url); default: start the embedded one." };
        var url = new Option<Uri?>("--url") { Description = "Base address of the running pipeline's inference service (with --bootstrap).", CustomParser = OptionParsers.HttpUrl };
        var apiKey = new Option<string?>("--api-key") { Description = "API key for the inference service (X-Api-Key); needed off loopback." };
        var drain = new Option<int>("--drain-seconds") { Description = "Longest wait for a strategy's windows after its last request.", DefaultValueFactory = _ => (int)d.DrainTimeout.TotalSeconds };
        var output = new Option<string?>("--out") { Description = "Folder for report.md, report.json and redteam.png." };
        var quick = new Option<bool>("--quick") { Description = "A short run (PGD mixed at 20 % and spread, 300 images each, 200 permutations); options given still apply." };
        var command = new Command("redteam", "Run evasion strategies (low-rate mixing, stream spreading, trickle) against the pipeline and report, per strategy, windows, alerts, time to the first alert and flagged-event precision and recall.")
        {
            strategies, attacks, shares, eps, images, trickleImages, trickleEvery, spreadShare, spreadStreams, rate, batch, window, slide,
            permutations, alpha, seed, model, bootstrap, url, apiKey, drain, output, quick,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var basis = parse.GetValue(quick) ? RedTeamOptions.Quick : d;
            T Pick<T>(Option<T> option, T fallback) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fallback;
            var target = Target(parse.GetValue(bootstrap), parse.GetValue(url), parse.GetValue(apiKey));
            if (target is not null)
            {
                foreach (var embeddedOnly in new Option[] { permutations, alpha })
                {
                    if (parse.GetResult(embeddedOnly) is { Implicit: false })
                        throw new CliFailureException($"{embeddedOnly.Name} configures the embedded pipeline; a running one (--url) keeps its own.");
                }
            }

            var options = new RedTeamOptions
            {
                Strategies = Pick(strategies, basis.Strategies),
                Attacks = Pick(attacks, basis.Attacks),
                Shares = Pick(shares, basis.Shares),
                Epsilons = Pick(eps, basis.Epsilons),
                Images = Pick(images, basis.Images),
                TrickleImages = Pick(trickleImages, basis.TrickleImages),
                TrickleEvery = Pick(trickleEvery, basis.TrickleEvery),
                SpreadShare = Pick(spreadShare, basis.SpreadShare),
                SpreadStreams = Pick(spreadStreams, basis.SpreadStreams),
                Rate = Pick(rate, basis.Rate),
                BatchSize = Pick(batch, basis.BatchSize),
                WindowSize = Pick(window, basis.WindowSize),
                WindowSlide = Pick(slide, basis.WindowSlide),
                Permutations = Pick(permutations, basis.Permutations),
                Alpha = Pick(alpha, basis.Alpha),
                Seed = Pick(seed, basis.Seed),
                ModelDirectory = parse.GetValue(model),
                Target = target,
                DrainTimeout = TimeSpan.FromSeconds(Pick(drain, (int)basis.DrainTimeout.TotalSeconds) is var seconds and > 0
                    ? seconds
                    : throw new CliFailureException("--drain-seconds must be positive.")),
            };
            options.Expand(); // every bad setting fails here, before minutes of attack generation

            var report = await new RedTeamRunner(RepoPaths.Discover(), options, TimeProvider.System).RunAsync(cancellationToken);
            report.Print();
            if (parse.GetValue(output) is { } folder)
            {
                var full = Path.GetFullPath(folder);
                report.Write(full);
                AnsiConsole.MarkupLine(Markup.Escape($"Report written to {Path.Combine(full, RedTeamReport.MarkdownFile)}, {RedTeamReport.JsonFile} and {RedTeamReport.PlotFile}"));
            }

            return 0;
        });
        return command;
    }

    /// <summary>A running pipeline needs both addresses; Inference accepts anonymous requests only on loopback.</summary>
    private static RedTeamTarget? Target(string? bootstrap, Uri? url, string? apiKey)
    {
        if (bootstrap is null && url is null)
        {
            return apiKey is null ? null : throw new CliFailureException("--api-key is for a running pipeline: give --bootstrap and --url too.");
        }

        if (string.IsNullOrWhiteSpace(bootstrap) || url is null)
            throw new CliFailureException("--bootstrap and --url go together: the Kafka of the running pipeline and its inference service.");
        if (apiKey is null && !IsLoopback(url))
            throw new CliFailureException($"--api-key: Inference at {url} accepts requests off loopback only with an API key.");
        return new RedTeamTarget(bootstrap, url, apiKey);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
