using Streaming.Ml.Models;

namespace Streaming.UnitTests.Ml.Models;

/// <summary>
/// Files that are not TorchScript. A real TorchScript file (written by our exporter, loaded by
/// libtorch) is tested in <see cref="ModelsTorchScriptExportTests"/>.
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
