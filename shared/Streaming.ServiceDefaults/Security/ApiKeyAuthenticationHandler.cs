using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.ServiceDefaults.Security;

/// <summary>
/// Authenticates a request by its API key. Keys are compared as SHA-256 digests in constant time, so
/// neither the comparison's duration nor a log line reveals a key; the client's name is the index of
/// its key. Without configured keys, a loopback connection is let in as "loopback" (see <see cref="ApiKeyOptions"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptions<ApiKeyOptions> apiKeys,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string LoopbackClient = "loopback";

    private readonly byte[][] _digests = [.. apiKeys.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];
    private readonly bool _allowLoopback = apiKeys.Value.AllowAnonymousLoopback;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            if (_digests.Length == 0 && _allowLoopback && IsLoopback(Context.Connection))
                return Task.FromResult(Success(LoopbackClient));
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = -1;
        for (var i = 0; i < _digests.Length; i++)
        {
            // No early exit: every key is compared, whichever matches.
            if (CryptographicOperations.FixedTimeEquals(digest, _digests[i]) && match < 0)
                match = i;
        }

        return Task.FromResult(match >= 0 ? Success($"api-key-{match}") : AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var detail = _digests.Length == 0
            ? "This service accepts anonymous requests only on loopback; configure Authentication:ApiKeys and send one."
            : $"Send an API key in the {HeaderName} header (or Authorization: Bearer).";
        await Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.").ExecuteAsync(Context);
    }

    private AuthenticateResult Success(string client)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, client)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0 && !string.IsNullOrEmpty(header[0]))
            return header[0];
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }

    private static bool IsLoopback(ConnectionInfo connection) =>
        connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
        && (connection.LocalIpAddress is null || IPAddress.IsLoopback(connection.LocalIpAddress));
}
