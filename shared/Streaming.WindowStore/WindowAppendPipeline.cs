using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// A consumed backlog appended in chunks whose Redis runs overlap the preparation of the next
/// (<see cref="RedisWindowWriter.CreatePipeline"/>): while Redis runs chunk k, this process checks
/// and builds chunk k+1, which is sent only once chunk k succeeded. Each chunk travels as a
/// <see cref="WindowAppendBatch"/> does (one pipeline, one script run per model it touches).
/// </summary>
/// <remarks>
/// Sending the next chunk before the previous one answered would keep more of Redis busy, but a
/// chunk that failed (an error reply for one window) could then be followed by a later chunk of
/// the same stream that succeeded, and the retry would append the failed events after it. Waiting
/// keeps the guarantees of one batch: the chunks before a failure are applied, none after it, so
/// appending the same events again (together or one by one) finds the applied ones as duplicates,
/// in order. Without this overlap, the service and Redis took turns: each idle while the other worked.
/// </remarks>
public sealed class WindowAppendPipeline : IAsyncDisposable
{
    private readonly RedisWindowWriter _writer;
    private readonly int _chunkSize;
    private readonly List<AppendResult> _results = [];
    private List<AppendCall> _pending;
    private Task<IReadOnlyList<AppendResult>>? _running;

    internal WindowAppendPipeline(RedisWindowWriter writer, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _writer = writer;
        _chunkSize = chunkSize;
        _pending = new List<AppendCall>(Math.Min(chunkSize, 1024));
    }

    /// <summary>
    /// Adds one event, checked as <see cref="WindowAppendBatch.Add"/> checks it and under the current
    /// trace; a full chunk is sent once the one before it answered. Throws the failure of that
    /// earlier chunk, or <see cref="ArgumentException"/> for a bad event after the chunk in flight
    /// finished (nothing is left running when it throws).
    /// </summary>
    public async ValueTask AddAsync(ActivationEvent ev, CancellationToken ct)
    {
        AppendCall call;
        try
        {
            call = _writer.Prepare(ev);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _pending.Add(call);
        if (_pending.Count >= _chunkSize)
            await SendPendingAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sends what is left and waits for every chunk; one result per event, in the order added.</summary>
    public async Task<IReadOnlyList<AppendResult>> CompleteAsync(CancellationToken ct)
    {
        await SendPendingAsync(ct).ConfigureAwait(false);
        await AwaitRunningAsync().ConfigureAwait(false);
        return _results;
    }

    /// <summary>Waits for a chunk still in flight (its failure is not rethrown: the caller already has one) and sends nothing more.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Clear();
        try
        {
            await AwaitRunningAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed; the failure that ended the pipeline early is the one the caller sees.
        }
    }

    private async Task SendPendingAsync(CancellationToken ct)
    {
        await AwaitRunningAsync().ConfigureAwait(false);
        if (_pending.Count == 0) return;
        var chunk = _pending;
        _pending = new List<AppendCall>(Math.Min(_chunkSize, 1024));
        // Runs synchronously until the scripts are written; the caller then prepares the next chunk.
        _running = _writer.ExecuteAsync(chunk, ct);
    }

    private async Task AwaitRunningAsync()
    {
        if (_running is not { } running) return;
        _running = null;
        _results.AddRange(await running.ConfigureAwait(false));
    }
}
