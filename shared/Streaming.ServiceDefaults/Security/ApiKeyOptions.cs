namespace Streaming.ServiceDefaults.Security;

/// <summary>
/// Who may call a service's API (section "Authentication"). With keys configured every API request
/// must carry one (<c>X-Api-Key: …</c> or <c>Authorization: Bearer …</c>). With none, only clients on
/// the loopback interface are let in (the embedded demo), unless <see cref="AllowAnonymousLoopback"/> is off.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Authentication";

    /// <summary>Accepted keys, at least 16 characters each. Clients are told apart by index (api-key-0, …), never by the key.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Without keys, let loopback clients in anonymously (the default) or refuse everyone.</summary>
    public bool AllowAnonymousLoopback { get; set; } = true;
}
