using System.Text.RegularExpressions;
using Streaming.LocalStack;

namespace Streaming.UnitTests.Architecture;

/// <summary>
/// Every file under services/, shared/ and tools/ declares the namespace its folder names: the
/// project's name (prefixed "Streaming." where it is not already) followed by the folders below it,
/// so a type is found where its namespace says.
/// </summary>
public sealed partial class NamespacesFollowFoldersTests
{
    private static readonly string Root = RepoPaths.Discover().Root;

    [Fact]
    public void Namespace_EverySourceFile_FollowsItsFolder()
    {
        var mismatches = new List<string>();
        var files = 0;
        foreach (var project in ProjectGraph.Load(Root).Keys)
        {
            var folder = Path.Combine(Root, project);
            var name = Path.GetFileNameWithoutExtension(Directory.EnumerateFiles(folder, "*.csproj").Single());
            var rootNamespace = name.StartsWith("Streaming.", StringComparison.Ordinal) ? name : "Streaming." + name;
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(folder, f)))
            {
                var declared = FileScopedNamespace().Match(File.ReadAllText(file));
                if (!declared.Success) continue;
                files++;
                var relative = Path.GetRelativePath(folder, Path.GetDirectoryName(file)!);
                var expected = relative == "." ? rootNamespace : rootNamespace + "." + relative.Replace(Path.DirectorySeparatorChar, '.');
                if (declared.Groups["name"].Value != expected)
                    mismatches.Add($"{Path.GetRelativePath(Root, file)}: namespace {declared.Groups["name"].Value}, folder says {expected}");
            }
        }

        // Not vacuous: the projects' sources were read.
        Assert.True(files > 300, $"only {files} files read");
        if (mismatches.Count > 0)
            Assert.Fail("Namespaces that do not follow their folders:" + Environment.NewLine + string.Join(Environment.NewLine, mismatches));
    }

    private static bool IsBuildOutput(string projectFolder, string file)
    {
        var first = Path.GetRelativePath(projectFolder, file).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    [GeneratedRegex(@"^namespace (?<name>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
