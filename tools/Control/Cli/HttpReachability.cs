namespace Streaming.Control.Cli;

/// <summary>
/// One request to a service's /health, with a bounded wait, before a command spends minutes preparing traffic
/// for it: an unreachable endpoint is one line naming the address and the option. Any HTTP answer counts as
/// reachable (a 503 from a starting service is its own, later, error).
/// </summary>
public static class HttpReachability
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A client whose connection attempts give up after <see cref="ConnectTimeout"/>.</summary>
    public static HttpClient CreateClient(TimeSpan requestTimeout) =>
        new(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout }) { Timeout = requestTimeout };

    public static async Task EnsureAsync(HttpClient http, Uri baseAddress, string optionName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ConnectTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "/health"), HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new CliFailureException($"{baseAddress} ({optionName}) cannot be reached: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailureException($"{baseAddress} ({optionName}) did not answer within {ConnectTimeout.TotalSeconds:0} s.", ex);
        }
    }
}
