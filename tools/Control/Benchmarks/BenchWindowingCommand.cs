using System.CommandLine;
using StackExchange.Redis;
using Streaming.LocalStack;
using Streaming.LocalStack.Servers;
using Streaming.WindowStore;

namespace Streaming.Control.Benchmarks;

public static class BenchWindowingCommand
{
    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Events per batched measurement (store) and per service run.", DefaultValueFactory = _ => 40_000 };
        var singleEvents = new Option<int>("--single-events") { Description = "Events per one-at-a-time store measurement.", DefaultValueFactory = _ => 5_000 };
        var batch = new Option<int>("--batch") { Description = "Events per pipelined batch (Windowing:MaxBatch).", DefaultValueFactory = _ => 500 };
        var streams = new Option<int>("--streams") { Description = "Streams the events are spread over (one model).", DefaultValueFactory = _ => 8 };
        var values = new Option<int>("--values") { Description = "Activation values per event (256 floats: about 1 KiB).", DefaultValueFactory = _ => 256 };
        var serviceValues = new Option<int>("--service-values")
        {
            Description = "Activation values per event in the service run (64: about 300 bytes). The embedded Kafka keeps only about 5 MiB per partition, so a backlog of large events loses its oldest ones before Windowing reads them.",
            DefaultValueFactory = _ => 64,
        };
        var rounds = new Option<int>("--rounds") { Description = "Store rounds (one at a time, batched in one chunk and in chunks alternate; best of each).", DefaultValueFactory = _ => 3 };
        var service = new Option<bool>("--service") { Description = "Also run the Windowing service end to end (embedded Kafka): MaxBatch 1, then --batch in one chunk against --batch in chunks of --append-chunk.", DefaultValueFactory = _ => true };
        var appendChunk = new Option<int>("--append-chunk") { Description = "Windowing:AppendChunk of the chunked service runs (each chunk prepared while Redis runs the one before).", DefaultValueFactory = _ => 250 };
        var serviceRounds = new Option<int>("--service-rounds") { Description = "Service rounds (one chunk and chunked alternate; best of each).", DefaultValueFactory = _ => 1 };
        var warmUp = new Option<int>("--warm-up-events")
        {
            Description = "Events of another model, over as many streams, each service run handles before its clock starts (then 1 s for the runtime to finish compiling).",
            DefaultValueFactory = _ => 100,
        };
        warmUp.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 100)
                result.AddError("--warm-up-events: must be at least 100 (one model-wide window of 100, which the run waits for).");
        });
        var command = new Command("bench-windowing", "Windowing throughput in events/s: the window store one event at a time against pipelined batches, then the service end to end (events produced -> windows announced); model-wide windows on, windows 100/50.")
        {
            events, singleEvents, batch, streams, values, serviceValues, rounds, service, appendChunk, serviceRounds, warmUp,
        };
        command.SetAction(async (parse, ct) =>
        {
            int batchSize = parse.GetValue(batch), streamCount = parse.GetValue(streams), width = parse.GetValue(values), eventCount = parse.GetValue(events);
            await using var redis = await RedisServerProcess.StartAsync(ct);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
            var shape = new WindowOptions { Size = 100, Slide = 50 };
            Console.WriteLine($"Window store on redis-server {redis.ConnectionString}: {streamCount} streams, {width} values/event, windows {shape.Size}/{shape.Slide}, model-wide {shape.ModelWide.Size}/{shape.ModelWide.Slide}");
            var store = new WindowStoreBenchmark(connection, redis.ConnectionString, shape, Console.Out);
            int chunk = parse.GetValue(appendChunk);
            var (single, batched, chunked) = await store.RunAsync(parse.GetValue(singleEvents), eventCount, batchSize, chunk, streamCount, width, parse.GetValue(rounds), ct);
            static void PrintStore(string how, WindowStoreBenchmark.Result result) =>
                Console.WriteLine(FormattableString.Invariant($"store, {how}: {result.EventsPerSecond:F0} events/s (Redis script time {result.ServerMicrosPerEvent:F1} us/event, Redis memory {result.ServerBytesPerEvent:F0} bytes/event)"));
            PrintStore("one at a time", single);
            PrintStore($"batches of {batchSize}", batched);
            PrintStore($"batches of {batchSize} in chunks of {chunk}", chunked);
            Console.WriteLine(FormattableString.Invariant($"store ratio batched / one at a time: {batched.EventsPerSecond / single.EventsPerSecond:F2}x; chunks of {chunk} / one chunk: {chunked.EventsPerSecond / batched.EventsPerSecond:F2}x"));
            if (!parse.GetValue(service)) return 0;

            Console.WriteLine("Windowing service end to end (embedded Kafka, events produced as fast as the producer goes, until every window is announced):");
            var endToEnd = new WindowingServiceBenchmark(RepoPaths.Discover(), redis, Console.Out);
            int serviceWidth = parse.GetValue(serviceValues), warmUpEvents = parse.GetValue(warmUp);
            var one = await endToEnd.MeasureAsync(1, 1, eventCount, streamCount, serviceWidth, warmUpEvents, ct);
            double whole = 0, inChunks = 0;
            for (var round = 0; round < Math.Max(1, parse.GetValue(serviceRounds)); round++)
            {
                whole = Math.Max(whole, await endToEnd.MeasureAsync(batchSize, batchSize, eventCount, streamCount, serviceWidth, warmUpEvents, ct));
                inChunks = Math.Max(inChunks, await endToEnd.MeasureAsync(batchSize, chunk, eventCount, streamCount, serviceWidth, warmUpEvents, ct));
            }

            Console.WriteLine(FormattableString.Invariant($"service ratio MaxBatch {batchSize} / MaxBatch 1: {whole / one:F2}x (one chunk), {inChunks / one:F2}x (chunks of {chunk})"));
            Console.WriteLine(FormattableString.Invariant($"service ratio chunks of {chunk} / one chunk of {batchSize}: {inChunks / whole:F2}x (best of each: {inChunks:F0} / {whole:F0} events/s)"));
            return 0;
        });
        return command;
    }
}
