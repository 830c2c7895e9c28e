namespace Streaming.Detection;

/// <summary>What <see cref="RowTiles.Run{TLanes, TVector, TSink}"/> does with the squared distances it computes (a struct, so the JIT specialises the loop for it).</summary>
/// <typeparam name="TVector">The register type of the tiles' width (<see cref="RowTiles.Wide"/>).</typeparam>
internal interface ITileSink<TVector> where TVector : struct
{
    /// <summary>Vector <paramref name="vector"/>'s squared distances to tile <paramref name="tile"/>'s rows: its first register of rows, then its second (padding rows included; see <see cref="RowTiles.Valid{TLanes, TVector}"/>).</summary>
    void Take(int vector, int tile, TVector low, TVector high);
}
