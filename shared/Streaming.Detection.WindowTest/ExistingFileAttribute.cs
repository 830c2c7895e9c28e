using System.ComponentModel.DataAnnotations;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// A path setting that must name an existing file when the options are validated (at start), so a
/// missing file fails the start naming its key instead of the first message that needs it. An empty
/// value is left to [Required].
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ExistingFileAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string path || path.Length == 0 || File.Exists(path);
}
