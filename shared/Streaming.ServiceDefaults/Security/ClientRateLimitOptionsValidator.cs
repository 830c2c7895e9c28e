using Microsoft.Extensions.Options;

namespace Streaming.ServiceDefaults.Security;

/// <summary>The attribute rules of <see cref="ClientRateLimitOptions"/>, checked by generated code at start; each message names its key.</summary>
[OptionsValidator]
public sealed partial class ClientRateLimitOptionsValidator : IValidateOptions<ClientRateLimitOptions>;
