using Microsoft.Extensions.Options;

namespace Streaming.Messaging;

/// <summary>The attribute rules of <see cref="KafkaOptions"/>, checked by generated code at start; each message names its key.</summary>
[OptionsValidator]
public sealed partial class KafkaOptionsValidator : IValidateOptions<KafkaOptions>;
