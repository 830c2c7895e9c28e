using System.Numerics;

namespace Streaming.Detection;

/// <summary>What <see cref="RowTiles.Run"/> does with the squared distances it computes (a struct, so the JIT specialises the loop for it).</summary>
internal interface ITileSink
{
    /// <summary>Vector <paramref name="vector"/>'s squared distances to tile <paramref name="tile"/>'s rows: its first register of rows, then its second (padding rows included; see <see cref="RowTiles.Valid"/>).</summary>
    void Take(int vector, int tile, Vector<float> low, Vector<float> high);
}
