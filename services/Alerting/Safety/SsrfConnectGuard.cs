using System.Net;
using System.Net.Sockets;

namespace Streaming.Alerting.Safety;

/// <summary>
/// The webhook handler's ConnectCallback: resolves the host itself and connects only to an
/// address that is allowed, so a public name that resolves (or is rebound) to 10.x, 127.x or
/// 169.254.169.254 is refused at delivery time. The socket goes to the very address that was
/// checked, leaving no window between check and connect. Link-local and metadata addresses are
/// refused even with private networks allowed (<see cref="NetworkAddressPolicy"/>).
/// </summary>
public sealed class SsrfConnectGuard(bool allowPrivateNetworks)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => NetworkAddressPolicy.IsAllowed(a, allowPrivateNetworks)).ToArray();
        if (allowed.Length == 0)
        {
            var why = allowPrivateNetworks
                ? "link-local, cloud metadata, multicast or tunnelled addresses, which no setting allows"
                : "loopback, link-local or private addresses; Alerting:AllowPrivateNetworks is off";
            throw new HttpRequestException(
                $"Refused to connect to '{endpoint.Host}': it resolves only to {why} ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
