using Microsoft.Extensions.Options;

namespace Streaming.Windowing;

/// <summary>The attribute rules of <see cref="WindowingOptions"/>, checked by generated code at start; each message names its key.</summary>
[OptionsValidator]
public sealed partial class WindowingOptionsValidator : IValidateOptions<WindowingOptions>;
