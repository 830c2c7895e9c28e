using Microsoft.Extensions.Options;

namespace Streaming.Inference;

/// <summary>
/// Which model to serve, checked at start (ValidateOnStart) with every message naming its key: exactly
/// one of Inference:ModelDirectory and Inference:TorchScript:Path, the path existing, and for TorchScript
/// at least one named output and no Inference:Layers (those name hookable submodules of native models).
/// Whether the file loads and returns as many tensors as Outputs lists is checked when ModelHost loads it.
/// These rules span fields; the single-field ones are attributes, checked by the generated <see cref="InferenceOptionsValidator"/>.
/// </summary>
public sealed class InferenceModelValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var hasDirectory = !string.IsNullOrWhiteSpace(options.ModelDirectory);
        if (hasDirectory && options.ServesTorchScript)
        {
            problems.Add($"{InferenceOptions.SectionName}:ModelDirectory and {TorchScriptOptions.SectionName}:Path are both set; serve one model: set only one of them");
        }
        else if (!hasDirectory && !options.ServesTorchScript)
        {
            problems.Add($"{InferenceOptions.SectionName}:ModelDirectory is required (a folder written by `control train`), or {TorchScriptOptions.SectionName}:Path for a TorchScript model");
        }
        else if (hasDirectory && !Directory.Exists(options.ModelDirectory))
        {
            problems.Add($"{InferenceOptions.SectionName}:ModelDirectory '{options.ModelDirectory}' does not exist; run `control train` first");
        }
        else if (options.ServesTorchScript)
        {
            var script = options.TorchScript;
            if (!File.Exists(script.Path))
                problems.Add($"{TorchScriptOptions.SectionName}:Path '{script.Path}' does not exist");
            if (script.Outputs.Count == 0)
                problems.Add($"{TorchScriptOptions.SectionName}:Outputs is empty; name each tensor the model returns (Outputs:0:Name, Outputs:1:Name, …)");
            if (options.Layers.Count > 0)
                problems.Add($"{InferenceOptions.SectionName}:Layers names submodules of native models and cannot be used with {TorchScriptOptions.SectionName}:Path; configure {TorchScriptOptions.SectionName}:Outputs instead");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
