using Microsoft.Extensions.Options;

namespace Streaming.Detection.WindowTest;

/// <summary>The attribute rules of <see cref="DetectorOptions"/> and its Scan and Online sections, checked by generated code at start; each message names its key.</summary>
[OptionsValidator]
public sealed partial class DetectorOptionsValidator : IValidateOptions<DetectorOptions>;
