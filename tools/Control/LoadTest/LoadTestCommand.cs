using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.LocalStack;

namespace Streaming.Control.LoadTest;

public static class LoadTestCommand
{
    public static Command Create()
    {
        var source = new Option<LoadSource?>("--source")
        {
            Description = "images: images to POST /v1/predict (the whole path). events: activation events of recorded inputs (clean rows of the reference file, attacked ones recorded from the model), the streaming path alone.",
            CustomParser = OptionParsers.OneOf<LoadSource>,
        };
        var transport = new Option<EventTransport?>("--transport")
        {
            Description = "With --source events: kafka (produced straight to the activations topic, the default) or http (POST /v1/activations).",
            CustomParser = OptionParsers.OneOf<EventTransport>,
        };
        var rate = new Option<double>("--rate") { Description = "Images (or events) per second offered (open loop), for phases without their own rate.", DefaultValueFactory = _ => 100 };
        var phases = new Option<string[]>("--phase") { Description = "name:seconds:attackShare[:rate], repeatable. Default: clean:20:0 then attack:20:1.", AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch") { Description = "Images (or events) per request.", DefaultValueFactory = _ => 10 };
        var drain = new Option<double>("--drain-timeout") { Description = "Seconds to wait, after the last phase, for the windows still in the pipeline.", DefaultValueFactory = _ => 60 };
        var attack = new Option<string>("--attack") { Description = "Attack of the attacked share: fgsm, fgsm-targeted, bim, pgd, pgd-targeted, deepfool, noise, negation.", DefaultValueFactory = _ => "fgsm" };
        var epsilon = new Option<double>("--epsilon") { Description = "L-inf budget of attacked images.", DefaultValueFactory = _ => 0.3 };
        var ceiling = new Option<bool>("--no-kafka-ceiling") { Description = "Skip measuring the raw Kafka produce/consume rate." };
        var instances = new Option<int>("--instances") { Description = "Instances each of Windowing, the Detector and Alerting, in their consumer groups (1-4).", DefaultValueFactory = _ => 1 };
        var streams = new Option<int>("--streams") { Description = "Streams each phase's traffic is spread over, request by request (1-64; several let instances share a phase).", DefaultValueFactory = _ => 1 };
        var report = new Option<string?>("--report") { Description = "Write the report as JSON." };
        var timeline = new Option<string?>("--timeline") { Description = "Write every window's latency stages (windowing, outbox, queue, test, delivery) as CSV, phases' streams and the model-wide stream." };
        var command = new Command("loadtest", "Drive the embedded pipeline at a target rate with clean and attacked traffic (images, or activation events) and report rates, latencies, detection, lag, memory and the raw Kafka rate.")
        {
            source, transport, rate, phases, batch, drain, attack, epsilon, ceiling, instances, streams, report, timeline,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = Options(parse.GetValue(source), parse.GetValue(transport), parse.GetValue(rate), parse.GetValue(phases) ?? [], parse.GetValue(batch), parse.GetValue(drain), parse.GetValue(instances), parse.GetValue(streams)) with
            {
                Attack = parse.GetValue(attack)!,
                Epsilon = parse.GetValue(epsilon),
                MeasureKafkaCeiling = !parse.GetValue(ceiling),
                TimelinePath = parse.GetValue(timeline),
            };
            var result = await new LoadTestRunner(RepoPaths.Discover(), options).RunAsync(cancellationToken);
            LoadTestRunner.Print(result);
            if (parse.GetValue(report) is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } }), cancellationToken);
                AnsiConsole.MarkupLine($"Report written to {path}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The options of the command line's values; a value out of range is an <see cref="ArgumentException"/> naming its option.</summary>
    public static LoadTestOptions Options(LoadSource? source, EventTransport? transport, double rate, IReadOnlyList<string> phases, int batch, double drainSeconds, int instances = 1, int streams = 1)
    {
        ArgumentNullException.ThrowIfNull(phases);
        if (instances is < 1 or > 4)
            throw new ArgumentException($"--instances: {instances} is not between 1 and 4.");
        if (streams is < 1 or > 64)
            throw new ArgumentException($"--streams: {streams} is not between 1 and 64.");
        if (transport is not null && source != LoadSource.Events)
            throw new ArgumentException("--transport: applies only to --source events.");
        if (!(rate > 0) || double.IsInfinity(rate))
            throw new ArgumentException($"--rate: {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a positive number of items per second.");
        if (batch < 1)
            throw new ArgumentException($"--batch: {batch} is not a positive number of items per request.");
        if (!(drainSeconds > 0) || double.IsInfinity(drainSeconds))
            throw new ArgumentException($"--drain-timeout: {drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a positive number of seconds.");
        List<LoadPhase> parsed;
        try
        {
            parsed = (phases.Count == 0 ? ["clean:20:0", "attack:20:1"] : phases).Select(p => LoadPhase.Parse(p, rate)).ToList();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException("--phase: " + ex.Message, ex);
        }

        if (parsed.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != parsed.Count)
            throw new ArgumentException("--phase: phase names must differ (each phase has its own stream).");
        return new LoadTestOptions
        {
            Source = source ?? LoadSource.Images,
            Transport = transport ?? EventTransport.Kafka,
            Phases = parsed,
            BatchSize = batch,
            DrainTimeout = TimeSpan.FromSeconds(drainSeconds),
            Instances = instances,
            Streams = streams,
        };
    }
}
