using Microsoft.Extensions.Options;

namespace Streaming.Redis;

/// <summary>The attribute rules of <see cref="RedisOptions"/>, checked by generated code; each message names its key.</summary>
[OptionsValidator]
public sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>;
