namespace Streaming.Detection;

/// <summary>
/// Reusable storage for <see cref="RowTiles"/> laid out, used and dropped one after another on one thread (a
/// window's own tiles, one layer at a time): about 100 KB per window that were otherwise allocated anew, a tenth of
/// the Detector's allocated bytes in the streaming flood. Grows to the largest layout asked for; not thread-safe.
/// </summary>
internal sealed class RowTileScratch
{
    private float[] _tiled = [];
    private float[] _valid = [];

    /// <summary>Arrays of at least the lengths given, with stale contents; valid until the next call.</summary>
    public (float[] Tiled, float[] Valid) Take(int tiled, int valid)
    {
        if (_tiled.Length < tiled) _tiled = new float[tiled];
        if (_valid.Length < valid) _valid = new float[valid];
        return (_tiled, _valid);
    }
}
