using Microsoft.Extensions.Options;

namespace Streaming.Console.Options;

/// <summary>The attribute rules of <see cref="ConsoleOptions"/>, checked by generated code at start; each message names its key.</summary>
[OptionsValidator]
public sealed partial class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>;
