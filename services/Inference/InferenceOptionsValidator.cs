using Microsoft.Extensions.Options;

namespace Streaming.Inference;

/// <summary>The attribute rules of <see cref="InferenceOptions"/>, checked by generated code at start; each message names its key. Which model to serve spans fields: <see cref="InferenceModelValidator"/>.</summary>
[OptionsValidator]
public sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;
