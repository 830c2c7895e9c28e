using Streaming.Ml;

namespace Streaming.UnitTests.Ml.Models;

/// <summary>
/// Only the failure paths: no Python torch is available here to produce a real TorchScript file,
/// and TorchSharp cannot create one (see TorchScriptModel's remarks).
/// </summary>
public sealed class ModelsTorchScriptTests
{
    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingPath()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => TorchScriptModel.Load("/nonexistent/model.pt"));

        Assert.Contains("/nonexistent/model.pt", ex.Message);
    }

    [Fact]
    public void Load_FileThatIsNotTorchScript_ThrowsInvalidDataNamingPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "not-torchscript-" + Guid.NewGuid().ToString("N") + ".pt");
        File.WriteAllText(path, "this is not a zip archive of a scripted module");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => TorchScriptModel.Load(path));

            Assert.Contains(path, ex.Message);
            Assert.Contains("TorchScript", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
