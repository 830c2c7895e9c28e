using System.Diagnostics;
using Microsoft.Extensions.Options;
using Streaming.Detection;
using Streaming.Detection.Online;
using Streaming.Detection.WindowTest;

namespace Streaming.Detector.Online;

/// <summary>
/// Loads the reference and calibrates the online detector's thresholds once at start (by
/// simulation on the reference, on the compute device); hands out one detector per stream.
/// A setting the calibration refuses stops the start with the key's name.
/// </summary>
public sealed partial class OnlineDetectorRunner
{
    public OnlineDetectorRunner(IOptions<DetectorOptions> options, ILogger<OnlineDetectorRunner> logger)
    {
        var settings = options.Value;
        var online = settings.Online;
        var reference = ReferenceFile.Load(settings.ReferencePath);
        var device = ComputeDevice.Resolve(settings.Device);
        var started = Stopwatch.GetTimestamp();
        try
        {
            Model = OnlineMmdCalibrator.Calibrate(reference, new OnlineMmdOptions
            {
                WindowSize = online.WindowSize,
                ExpectedRunTime = online.ExpectedRunTime,
                Bootstraps = online.Bootstraps,
                Seed = (ulong)settings.Seed,
            }, device);
        }
        catch (ArgumentException ex) when (ex.ParamName is not null)
        {
            throw new OptionsValidationException(DetectorOptions.SectionName, typeof(DetectorOptions),
                [$"{DetectorOptions.SectionName}:Online:{ex.ParamName} is invalid: {ex.Message}"]);
        }

        LogCalibrated(logger, reference.Model, reference.ModelVersion, online.WindowSize, online.ExpectedRunTime, online.Bootstraps,
            Stopwatch.GetElapsedTime(started).TotalSeconds, device.ToString());
    }

    public OnlineMmdModel Model { get; }

    [LoggerMessage(Level = LogLevel.Information, Message = "Online detector for {Model} {Version}: W {Window}, ERT {Ert}, thresholds from {Bootstraps} bootstraps in {Seconds:F1} s on {Device}")]
    private static partial void LogCalibrated(ILogger logger, string model, string version, int window, double ert, int bootstraps, double seconds, string device);
}
