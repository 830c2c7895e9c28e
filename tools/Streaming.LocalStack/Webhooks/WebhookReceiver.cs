using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Webhooks;

namespace Streaming.LocalStack.Webhooks;

/// <summary>
/// A local webhook endpoint for the demo and tests: Kestrel on 127.0.0.1 with a free port,
/// answering POST on any path. It records every request (body, headers, receive time, status
/// answered) and can be told to reject the next N requests, to exercise retries, or to answer
/// late, to exercise timeouts. Given a secret (<see cref="RequireSignature"/>) it verifies
/// X-Signature (over Idempotency-Key and body) like a real receiver and answers 401 to a bad one.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _failuresLeft;
    private int _failureStatus = StatusCodes.Status503ServiceUnavailable;
    private string? _failureBody;
    private int _accepted;
    private TimeSpan _responseDelay;
    private WebhookSignatureVerifier? _verifier;

    private WebhookReceiver(WebApplication app, TimeProvider timeProvider)
    {
        _app = app;
        _timeProvider = timeProvider;
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:41234/ ; POST to it or to any path below it.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every POST so far, in arrival order, rejected ones included.</summary>
    public IReadOnlyList<ReceivedWebhook> Received
    {
        get { lock (_gate) return [.. _received]; }
    }

    /// <summary>The POSTs answered 2xx, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted
    {
        get { lock (_gate) return [.. _received.Where(r => r.Accepted)]; }
    }

    public static async Task<WebhookReceiver> StartAsync(TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, timeProvider ?? TimeProvider.System);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> requests with <paramref name="statusCode"/> (503 by
    /// default) and, when given, <paramref name="body"/> as text; "{path}" in it becomes the request's
    /// path and query, as an error page that echoes the URL would.
    /// </summary>
    public void FailNext(int count, int statusCode = StatusCodes.Status503ServiceUnavailable, string? body = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _failuresLeft = count;
            _failureStatus = statusCode;
            _failureBody = body;
        }
    }

    /// <summary>Answers every request only after <paramref name="delay"/> (TimeSpan.Zero: at once).</summary>
    public void DelayResponses(TimeSpan delay)
    {
        lock (_gate) _responseDelay = delay;
    }

    /// <summary>
    /// From now on, requests whose X-Signature does not verify with <paramref name="secret"/> over their
    /// Idempotency-Key and body, within <paramref name="tolerance"/> (5 minutes by default), are answered 401.
    /// </summary>
    public void RequireSignature(byte[] secret, TimeSpan? tolerance = null)
    {
        var verifier = new WebhookSignatureVerifier(secret, tolerance ?? TimeSpan.FromMinutes(5), _timeProvider);
        lock (_gate) _verifier = verifier;
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> requests were accepted (2xx) and returns them.
    /// The timeout runs on the real clock, so a fake TimeProvider for receive times cannot freeze it.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForCountAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_accepted >= count) return [.. _received.Where(r => r.Accepted)];
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
                throw new TimeoutException($"Expected {count} accepted webhook request(s) within {timeout.TotalSeconds:F1} s, got {_accepted} (of {_received.Count} received).");
            }
        }

        return Accepted;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var receivedAt = _timeProvider.GetUtcNow();
        // A request the sender gave up on (attempt timeout) still reached us: record it as never answered.
        void RecordUnanswered(string body)
        {
            lock (_gate) _received.Add(new ReceivedWebhook(receivedAt, context.Request.Path.Value ?? "/", body, headers, 0));
        }

        // The signature covers the exact bytes, so read them raw before any decoding.
        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            RecordUnanswered("");
            return;
        }

        var raw = buffer.ToArray();
        var body = System.Text.Encoding.UTF8.GetString(raw);

        TimeSpan delay;
        lock (_gate) delay = _responseDelay;
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                RecordUnanswered(body);
                return;
            }
        }

        int status;
        string? answer = null;
        List<TaskCompletionSource> satisfied;
        lock (_gate)
        {
            var signature = _verifier?.Verify(headers.GetValueOrDefault(WebhookSignature.Header), headers.GetValueOrDefault("Idempotency-Key"), raw);
            status = _failuresLeft > 0 ? _failureStatus
                : signature is null or SignatureCheck.Valid ? StatusCodes.Status200OK
                : StatusCodes.Status401Unauthorized;
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                answer = _failureBody?.Replace("{path}", context.Request.Path + context.Request.QueryString, StringComparison.Ordinal);
            }

            _received.Add(new ReceivedWebhook(receivedAt, context.Request.Path.Value ?? "/", body, headers, status) { Signature = signature });
            if (status == StatusCodes.Status200OK) _accepted++;
            satisfied = [.. _waiters.Where(w => w.Count <= _accepted).Select(w => w.Done)];
            _waiters.RemoveAll(w => w.Count <= _accepted);
        }

        foreach (var waiter in satisfied)
            waiter.TrySetResult();
        context.Response.StatusCode = status;
        if (answer is null) return;
        try
        {
            await context.Response.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The sender stopped reading the error body: nothing to record beyond the status.
        }
    }
}
