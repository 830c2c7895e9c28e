using Microsoft.Extensions.Options;

namespace Streaming.Alerting.Options;

/// <summary>
/// The attribute rules of <see cref="AlertingOptions"/> (required names, ranges), checked by generated
/// code at start; each message names its key. <see cref="AlertingCrossFieldValidator"/> holds the rest.
/// </summary>
[OptionsValidator]
public sealed partial class AlertingOptionsValidator : IValidateOptions<AlertingOptions>;
