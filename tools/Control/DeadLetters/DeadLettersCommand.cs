using System.CommandLine;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Control.DeadLetters;

/// <summary>`control deadletters list|resend`: inspect alerts.deadletter and hand letters back to Alerting.</summary>
public static class DeadLettersCommand
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap-servers")
        {
            Description = "Kafka bootstrap servers (default: Kafka__BootstrapServers, else localhost:9092).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Kafka__BootstrapServers") ?? "localhost:9092",
        };
        var topic = new Option<string>("--topic") { Description = "Dead-letter topic.", DefaultValueFactory = _ => Topics.DeadLetterOf(Topics.Alerts) };

        var list = new Command("list", "List every dead letter (position, time, service, attempts, alert id, reason).") { bootstrap, topic };
        list.SetAction((parse, _) =>
        {
            var letters = Archive(parse.GetValue(bootstrap)!, bootstrap.Name).ReadAll(parse.GetValue(topic)!, ReadTimeout);
            var table = new Table().AddColumns("position", "time", "service", "attempts", "alert", "reason");
            foreach (var l in letters)
                table.AddRow(l.Position, l.Letter.Timestamp?.ToDateTimeOffset().ToString("u") ?? "", l.Letter.Service, l.Letter.Attempts.ToString(),
                    Markup.Escape(l.AlertId ?? "(unparsable)"), Markup.Escape(l.WhyNotResendable() is { } why ? $"{l.Letter.Reason} [not re-sendable: {why}]" : l.Letter.Reason));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{letters.Count} dead letter(s) in {Markup.Escape(parse.GetValue(topic)!)}.");
            return Task.FromResult(0);
        });

        var positions = new Option<string[]>("--position") { Description = "partition:offset of a letter to re-send (repeatable).", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "Re-send every dead letter." };
        var resend = new Command("resend", "Publish dead letters' alerts to their source topic again (receivers de-duplicate on Idempotency-Key). " +
            "Letters stored truncated are refused, and then nothing is sent.") { bootstrap, topic, positions, all };
        resend.SetAction(async (parse, cancellationToken) =>
        {
            var wanted = parse.GetValue(positions) ?? [];
            if (!parse.GetValue(all) && wanted.Length == 0)
                throw new CliFailureException("name letters with --position partition:offset, or pass --all.");

            var archive = Archive(parse.GetValue(bootstrap)!, bootstrap.Name);
            var letters = archive.ReadAll(parse.GetValue(topic)!, ReadTimeout);
            var chosen = parse.GetValue(all) ? letters : [.. letters.Where(l => wanted.Contains(l.Position))];
            var missing = wanted.Except(letters.Select(l => l.Position)).ToList();
            if (missing.Count > 0)
                throw new CliFailureException($"--position: no dead letter at {string.Join(", ", missing)}.");

            await archive.ResendAsync(chosen, cancellationToken);
            AnsiConsole.MarkupLine($"Re-sent {chosen.Count} dead letter(s).");
            return 0;
        });

        return new Command("deadletters", "List and re-send alerts that Alerting could not deliver.") { list, resend };
    }

    private static DeadLetterArchive Archive(string bootstrapServers, string optionName)
    {
        KafkaReachability.Ensure(bootstrapServers, optionName);
        return new(new KafkaOptions { BootstrapServers = bootstrapServers });
    }
}
