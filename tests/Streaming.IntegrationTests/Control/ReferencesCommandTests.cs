using Streaming.Detection;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.IntegrationTests.ReferenceRegistry;

namespace Streaming.IntegrationTests.Control;

/// <summary>`control references` as a user runs it, on a real redis-server.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class ReferencesCommandTests(RedisFixture redis) : IDisposable
{
    private readonly string _prefix = $"cli-{Guid.NewGuid():N}:";
    private readonly string _directory = Directory.CreateTempSubdirectory("references-cli-").FullName;

    [Fact]
    public async Task References_ImportActivateRetireExport_ListAndShowFollowEachStep()
    {
        var first = Save("first.ref", SyntheticReferences.Create("cnn", "v1", seed: 1));
        var second = Save("second.ref", SyntheticReferences.Create("cnn", "v1", seed: 2));

        var imported = await Run("import", first, "--source", "images 0:300");
        var firstId = imported.StandardOutput.Split(' ')[1];
        var activated = await Run("import", second, "--activate");
        var secondId = activated.StandardOutput.Split(' ')[1];
        await Run("activate", firstId);
        var list = await Run("list");
        var show = await Run("show", firstId);
        await Run("retire", firstId);
        var afterRetire = await Run("list", "--model", "cnn");
        var exported = Path.Combine(_directory, "exported.ref");
        await Run("export", firstId, "--out", exported);

        Assert.StartsWith("cnn/v1/", firstId, StringComparison.Ordinal);
        Assert.Contains("(active)", activated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 reference(s), 1 active.", list.StandardOutput, StringComparison.Ordinal);
        Assert.Matches($@"{firstId}\s+active\s+.*\s300\s+fc1:8\s+images 0:300", list.StandardOutput);
        Assert.Matches($@"{secondId}\s+retired", list.StandardOutput);
        Assert.Contains("state: active", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("layer: fc1 300x8 bandwidth", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("checksum: sha256:", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 reference(s), 0 active.", afterRetire.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(exported));
    }

    [Fact]
    public async Task ReferencesImport_MismatchedDimension_FailsWithOneLineNamingIt()
    {
        await Run("import", Save("v1.ref", SyntheticReferences.Create("cnn", "v1", seed: 1, dimension: 8)));

        var refused = await ControlProcess.RunAsync(["references", "import", Save("v2.ref", SyntheticReferences.Create("cnn", "v2", seed: 2, dimension: 4)), .. Registry]);

        Assert.Equal(2, refused.ExitCode);
        var line = Assert.Single(refused.ErrorLines);
        Assert.Equal("error: Reference refused: layer 'fc1' has dimension 4, but model 'cnn' has 8 (reference "
            + line.Split("(reference ")[1].Split(')')[0] + "). Its windows would drop every event; publish with --allow-layer-change if the model's layers really changed.", line);
    }

    [Fact]
    public async Task ReferencesImport_CorruptFile_FailsNamingTheProblem()
    {
        var path = Path.Combine(_directory, "corrupt.ref");
        await File.WriteAllBytesAsync(path, [.. "MMDREF"u8, 1, 2, 3]);

        var refused = await ControlProcess.RunAsync(["references", "import", path, .. Registry]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Reference refused", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("magic bytes", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferencesShow_UnknownId_FailsNamingIt()
    {
        var refused = await ControlProcess.RunAsync(["references", "show", "cnn/v1/ffffffffffff", .. Registry]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("error: No reference 'cnn/v1/ffffffffffff' in the registry; `control references list` shows them.", Assert.Single(refused.ErrorLines));
    }

    [Fact]
    public async Task Calibrate_ActivateWithoutPublish_FailsNamingBothOptions()
    {
        var refused = await ControlProcess.RunAsync("calibrate", "--activate", "--model", _directory);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("error: --activate needs --publish.", Assert.Single(refused.ErrorLines));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string[] Registry => ["--redis", redis.ConnectionString, "--prefix", _prefix];

    private async Task<ControlRun> Run(params string[] arguments)
    {
        var run = await ControlProcess.RunAsync(["references", .. arguments, .. Registry]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private string Save(string name, ReferenceSet reference)
    {
        var path = Path.Combine(_directory, name);
        ReferenceFile.Save(path, reference);
        return path;
    }
}
