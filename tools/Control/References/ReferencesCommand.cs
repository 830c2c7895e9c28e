using System.CommandLine;
using Streaming.Control.Cli;
using Streaming.ReferenceRegistry;

namespace Streaming.Control.References;

/// <summary>
/// `control references list | show | activate | retire | export | import`: the reference registry in
/// Redis. A Detector with Detector:ReferenceSource registry serves every active reference and picks
/// activations and retirements up within its Detector:Registry:PollInterval.
/// </summary>
public static class ReferencesCommand
{
    public static Command Create()
    {
        var command = new Command("references", "Manage the reference registry in Redis: which clean references exist per model and version, which one the Detector serves (active), and their files.")
        {
            List(), Show(), Activate(), Retire(), Export(), Import(),
        };
        return command;
    }

    /// <summary>--redis and --prefix, shared by every verb (and `calibrate --publish`).</summary>
    public static (Option<string> Redis, Option<string> Prefix) RegistryOptions() =>
    (
        new Option<string>("--redis") { Description = "Redis holding the registry (StackExchange.Redis connection string).", DefaultValueFactory = _ => RegistryConnection.DefaultRedis },
        new Option<string>("--prefix") { Description = "Key prefix of the registry (the Detector's Detector:Registry:KeyPrefix).", DefaultValueFactory = _ => ReferenceKeys.DefaultPrefix }
    );

    private static Command List()
    {
        var (redis, prefix) = RegistryOptions();
        var model = new Option<string?>("--model") { Description = "Only references of this model." };
        var command = new Command("list", "Every reference: id (model/version/checksum), state, creation time, reference inputs, layers:dimension, source.") { redis, prefix, model };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
            var references = await registry.Store.ListAsync(parse.GetValue(model), cancellationToken);
            Console.Out.WriteLine(ReferenceText.Header);
            foreach (var reference in references)
                Console.Out.WriteLine(ReferenceText.Line(reference));
            Console.Out.WriteLine($"{references.Count} reference(s), {references.Count(r => r.State == ReferenceState.Active)} active.");
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var (redis, prefix) = RegistryOptions();
        var id = new Argument<string>("id") { Description = "Reference id, as `list` prints it." };
        var command = new Command("show", "Every metadata field of one reference.") { id, redis, prefix };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
            var reference = await RegistryConnection.Refusals(() => registry.Store.RequireAsync(parse.GetValue(id)!, cancellationToken));
            foreach (var line in ReferenceText.Details(reference))
                Console.Out.WriteLine(line);
            return 0;
        });
        return command;
    }

    private static Command Activate()
    {
        var (redis, prefix) = RegistryOptions();
        var id = new Argument<string>("id") { Description = "Reference id, as `list` prints it." };
        var command = new Command("activate", "Make a reference the one the Detector serves for its model version; the one active before is retired.") { id, redis, prefix };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
            var reference = await RegistryConnection.Refusals(() => registry.Store.ActivateAsync(parse.GetValue(id)!, cancellationToken));
            Console.Out.WriteLine($"Active for {reference.Model} {reference.Version}: {reference.Id}");
            return 0;
        });
        return command;
    }

    private static Command Retire()
    {
        var (redis, prefix) = RegistryOptions();
        var id = new Argument<string>("id") { Description = "Reference id, as `list` prints it." };
        var command = new Command("retire", "Retire a reference; when it was active, windows of its model version are reported uncalibrated until another is activated.") { id, redis, prefix };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
            var reference = await RegistryConnection.Refusals(() => registry.Store.RetireAsync(parse.GetValue(id)!, cancellationToken));
            Console.Out.WriteLine($"Retired: {reference.Id}");
            return 0;
        });
        return command;
    }

    private static Command Export()
    {
        var (redis, prefix) = RegistryOptions();
        var id = new Argument<string>("id") { Description = "Reference id, as `list` prints it." };
        var output = new Option<string>("--out") { Description = "File to write (the reference file format of `control calibrate`).", Required = true };
        var command = new Command("export", "Write a reference to a file (checksum verified), for offline use (Detector:ReferencePath, replay) or another registry.") { id, output, redis, prefix };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
            var bytes = await RegistryConnection.Refusals(() => registry.Store.ExportAsync(parse.GetValue(id)!, cancellationToken));
            var path = Path.GetFullPath(parse.GetValue(output)!);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            Console.Out.WriteLine($"Reference {parse.GetValue(id)} written to {path} ({bytes.Length} bytes)");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var (redis, prefix) = RegistryOptions();
        var file = new Argument<string>("file") { Description = "A reference file (written by `control calibrate` or `export`)." };
        var source = new Option<string?>("--source") { Description = "Where its clean inputs came from (default: the file's calibration source)." };
        var activate = new Option<bool>("--activate") { Description = "Activate it at once (retiring the active one of its model version)." };
        var allowLayerChange = new Option<bool>("--allow-layer-change") { Description = "Accept layers or dimensions that differ from the model's references already published." };
        var command = new Command("import", "Publish a reference file as a candidate after checking it (it parses, and its layers and dimensions match the model's references already published).")
        {
            file, source, activate, allowLayerChange, redis, prefix,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
                throw new CliFailureException($"file: '{Path.GetFullPath(path)}' does not exist.");
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
            var reference = await Publish(registry.Store, bytes, parse.GetValue(source) ?? "", parse.GetValue(activate), parse.GetValue(allowLayerChange), cancellationToken);
            Console.Out.WriteLine($"Published {reference.Id} ({ReferenceText.State(reference.State)})");
            return 0;
        });
        return command;
    }

    /// <summary>Publishes (and activates) through the registry's checks; a refusal is a one-line CLI error naming what is wrong.</summary>
    public static Task<ReferenceMetadata> Publish(ReferenceRegistryStore store, byte[] file, string source, bool activate, bool allowLayerChange, CancellationToken cancellationToken) =>
        RegistryConnection.Refusals(async () =>
        {
            ArgumentNullException.ThrowIfNull(store);
            var published = await store.PublishAsync(file, source, allowLayerChange: allowLayerChange, cancellationToken: cancellationToken);
            return activate ? await store.ActivateAsync(published.Id, cancellationToken) : published;
        });
}
