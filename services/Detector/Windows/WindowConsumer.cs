using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection.Decision;
using Streaming.Detection.WindowTest;
using Streaming.Detector.References;
using Streaming.Messaging;
using Streaming.WindowStore;

namespace Streaming.Detector.Windows;

/// <summary>
/// Tests every ready window against the reference and publishes its detection result, plus an
/// alert when it fails. Both are acknowledged by Kafka before the window's offset is stored, so a
/// crash re-tests the window instead of losing it; alert ids derive from the window id, so a
/// re-test yields the same alert id downstream. A backlog of windows (the detector fell behind,
/// or restarted) can be tested in one batched device call of up to Detector:MaxBatch windows. The
/// windows' per-input scores and scans, which do not depend on the MMD outcome, are computed on the
/// thread pool while the MMD test runs; a window's decision then waits for both.
/// An event that does not fit the reference is dead-lettered on its own and the rest of its window
/// is tested; a window left with fewer than two events is reported with status insufficient_events.
/// The reference comes from <see cref="IWindowReferences"/>: the one file, or the registry's active
/// reference of the window's model version; a window without one is reported (uncalibrated or
/// reference_unavailable), never dead-lettered.
/// </summary>
public sealed partial class WindowConsumer(
    RedisWindowReader store,
    IWindowReferences references,
    KafkaProducerHandle producer,
    IOptions<DetectorOptions> options,
    IOptions<KafkaOptions> kafka,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    DetectorMetrics metrics,
    DetectionMessageMetrics messageMetrics,
    TimeProvider timeProvider,
    ILogger<WindowConsumer> logger)
    : KafkaConsumerService(kafka, deadLetters, messagingMetrics, timeProvider, logger)
{
    // Its own reference (a field, not the captured parameter) for dead letters of single events.
    private readonly DeadLetterPublisher _eventDeadLetters = deadLetters;

    protected override string Topic => options.Value.InputTopic;

    protected override string GroupId => options.Value.GroupId;

    protected override string ServiceName => "detector";

    protected override int MaxBatchSize => options.Value.MaxBatch;

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var window = ParseWindow(result);
        var resolution = await references.ResolveAsync(window.Header, cancellationToken);
        var prepared = await PrepareAsync(window, resolution, cancellationToken);
        var (outcomes, gathered) = await TestAsync(resolution, [prepared]);
        metrics.RecordBatch(1);
        await PublishAsync(result, prepared, resolution, outcomes[0], gathered[0], cancellationToken);
    }

    /// <summary>
    /// The batch's windows by model version, in order of first appearance: each group is resolved,
    /// tested in one device call and published before the next group loads its reference (which may
    /// evict another from the registry's cache).
    /// </summary>
    protected override async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken cancellationToken)
    {
        var windows = batch.Select(ParseWindow).ToArray();
        var groups = Enumerable.Range(0, batch.Count).GroupBy(i => (windows[i].Header.Model, windows[i].Header.ModelVersion));
        foreach (var group in groups)
        {
            var indices = group.ToArray();
            var resolution = await references.ResolveAsync(windows[indices[0]].Header, cancellationToken);
            // Read together: one Redis round trip for the group instead of one per window.
            var prepared = await Task.WhenAll(indices.Select(i => PrepareAsync(windows[i], resolution, cancellationToken)));

            var (outcomes, gathered) = await TestAsync(resolution, prepared);
            metrics.RecordBatch(prepared.Length);
            LogBatch(prepared.Length, outcomes.Sum(o => o.Duration.TotalMilliseconds));

            // Each window's results under its own consume activity: the trace from inference to alert
            // stays one trace per window, batched or not.
            await Task.WhenAll(prepared.Select(async (window, i) =>
            {
                using var activity = TraceContext.StartConsume(Topic, batch[indices[i]].Message.Headers);
                await PublishAsync(batch[indices[i]], window, resolution, outcomes[i], gathered[i], cancellationToken);
            }));
        }
    }

    private static WindowReady ParseWindow(ConsumeResult<byte[], byte[]> result) =>
        ProtobufEvents.Parse(WindowReady.Parser, result.Message.Value, w => w.Header);

    private async Task<PreparedWindow> PrepareAsync(WindowReady window, ReferenceResolution resolution, CancellationToken cancellationToken)
    {
        var contents = await store.ReadWindowAsync(window.WindowKey, cancellationToken);
        return resolution.Tester is { } tester
            ? tester.Prepare(window, contents.Events, contents.MissingCount, resolution.Fallback)
            : PreparedWindow.WithoutReference(window, contents.Events, contents.MissingCount, resolution.UntestedStatus ?? DetectionStatus.Uncalibrated);
    }

    /// <summary>
    /// The windows' MMD tests, and beside them on the thread pool what their evidence needs besides the
    /// outcome (per-input scores and scans, <see cref="ReferenceTester.GatherEvidenceAsync"/>; nothing
    /// without a reference).
    /// </summary>
    private async Task<(IReadOnlyList<Detection.WindowTestOutcome> Outcomes, EventEvidence?[] Gathered)> TestAsync(ReferenceResolution resolution, IReadOnlyList<PreparedWindow> windows)
    {
        var gathering = resolution.Tester?.GatherEvidenceAsync(windows) ?? Task.FromResult(new EventEvidence?[windows.Count]);
        IReadOnlyList<Detection.WindowTestOutcome> outcomes;
        try
        {
            outcomes = Test(resolution, windows);
        }
        catch
        {
            // The test's failure is the one reported; the gathering is only waited for, so it is not left running unobserved.
            await ((Task)gathering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        return (outcomes, await gathering);
    }

    /// <summary>The reference's tests of the windows; without a reference, the outcome of a window that was not tested (p = 1, no alert).</summary>
    private IReadOnlyList<Detection.WindowTestOutcome> Test(ReferenceResolution resolution, IReadOnlyList<PreparedWindow> windows) =>
        resolution.Tester?.TestMany(windows)
        ?? [.. windows.Select(_ => new Detection.WindowTestOutcome([], options.Value.Correction, options.Value.Alpha, CombinedPValue: 1, Alert: false, [], TimeSpan.Zero))];

    /// <summary>
    /// Dead-letters the window's dropped events one by one, then publishes the detection (and the
    /// alert): all acknowledged before the window's offset is stored, so a crash repeats them rather
    /// than losing them.
    /// </summary>
    private async Task PublishAsync(ConsumeResult<byte[], byte[]> source, PreparedWindow prepared, ReferenceResolution resolution, Detection.WindowTestOutcome outcome, EventEvidence? gathered, CancellationToken cancellationToken)
    {
        var window = prepared.Window;
        await DeadLetterDroppedAsync(source, prepared, cancellationToken);
        var key = Encoding.UTF8.GetBytes(window.Header.StreamId);
        var evidence = resolution.Tester?.Evidence(prepared, outcome, gathered) ?? WindowEvidence.MmdOnly(FiniteOutcome.Ensure(outcome));
        var detection = DetectionMessages.Detection(prepared, outcome, options.Value, TimeProvider.GetUtcNow(), evidence, messageMetrics);
        await producer.ProduceAsync(options.Value.DetectionsTopic, new Message<byte[], byte[]> { Key = key, Value = detection.ToByteArray() }, cancellationToken);
        metrics.RecordTested();
        // Counted and logged (periodically) where the reference was missed.
        if (prepared.UntestedStatus is not null)
            return;
        if (!prepared.Testable)
        {
            metrics.RecordUntested();
            LogWindowUntested(Text.Shorten(window.WindowId), prepared.Events.Count, prepared.Dropped.Count, prepared.MissingEvents);
            return;
        }

        metrics.RecordTestDuration(outcome.Duration);
        if (!evidence.Decision.Alert)
        {
            LogWindowPassed(window.WindowId, evidence.Decision.CombinedPValue);
            return;
        }

        var alert = DetectionMessages.Alert(prepared, outcome, options.Value, TimeProvider.GetUtcNow(), evidence, messageMetrics);
        await producer.ProduceAsync(options.Value.AlertsTopic, new Message<byte[], byte[]> { Key = key, Value = alert.ToByteArray() }, cancellationToken);
        metrics.RecordAlert();
        LogAlert(window.WindowId, evidence.Decision.CombinedPValue, string.Join(',', alert.RejectedLayers));
    }

    private async Task DeadLetterDroppedAsync(ConsumeResult<byte[], byte[]> source, PreparedWindow prepared, CancellationToken cancellationToken)
    {
        if (prepared.Dropped.Count == 0) return;
        var windowId = Text.Shorten(prepared.Window.WindowId);
        await Task.WhenAll(prepared.Dropped.Select(dropped =>
        {
            metrics.RecordDropped(dropped.Problem.Kind);
            return _eventDeadLetters.PublishPartAsync(source, dropped.Event.ToByteArray(), ServiceName, DroppedReason(windowId, dropped), cancellationToken);
        }));
        LogEventsDropped(windowId, prepared.Dropped.Count, prepared.Dropped.Count + prepared.Events.Count, DroppedReason(windowId, prepared.Dropped[0]));
    }

    /// <summary>The dead letter's reason: the event, the window, and what does not fit.</summary>
    public static string DroppedReason(string windowId, DroppedEvent dropped) =>
        $"Event {Text.Shorten(dropped.Event.Header?.EventId)} dropped from window {windowId}: {dropped.Problem.Description}.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {WindowId}: {Dropped} of {Events} events do not fit the reference and were dead-lettered; the first: {Reason}")]
    private partial void LogEventsDropped(string windowId, int dropped, int events, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {WindowId} not tested: {Usable} usable events ({Dropped} dropped, {Missing} missing in Redis); reported as insufficient_events")]
    private partial void LogWindowUntested(string windowId, int usable, int dropped, int missing);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Window {WindowId} passed (p={PValue})")]
    private partial void LogWindowPassed(string windowId, double pValue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {WindowId} failed the test (p={PValue}); rejected layers: {Layers}")]
    private partial void LogAlert(string windowId, double pValue, string layers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tested a backlog of {Count} windows in one batch ({DurationMs:F0} ms)")]
    private partial void LogBatch(int count, double durationMs);
}
