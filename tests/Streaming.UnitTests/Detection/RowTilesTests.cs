using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

/// <summary>Tiles laid in a reused scratch are the tiles new arrays give, padding included.</summary>
public sealed class RowTilesTests
{
    [Theory]
    [InlineData(10, 37)]
    [InlineData(128, 100)]
    [InlineData(3, 5)]      // fewer rows than one tile
    public void Run_TilesInAScratchThatHeldMoreRowsOfGarbage_EveryLaneAsWithNewArrays(int dimension, int count)
    {
        // An earlier, larger layout left the scratch full of NaNs and set masks: the last tile's padding rows
        // must again be zero rows (every lane's distance, padding lanes included) and their lanes masked.
        var rows = Gaussian.Flatten(Gaussian.Samples(count, dimension, 5));
        var vectors = Gaussian.Flatten(Gaussian.Samples(7, dimension, 6));
        var scratch = new RowTileScratch();
        var (tiled, valid) = scratch.Take(4 * (count + 64) * dimension, 4 * (count + 64));
        tiled.AsSpan().Fill(float.NaN);
        valid.AsSpan().Fill(BitConverter.Int32BitsToSingle(-1));

        var fresh = new RowTiles(rows, count, dimension);
        var expected = Distances(fresh, vectors);
        var reused = new RowTiles(rows, count, dimension, scratch);

        Assert.Equal(expected, Distances(reused, vectors));
        Assert.Equal(Masks(fresh), Masks(reused));
        Assert.Contains(Masks(fresh), mask => mask == 0);   // there is padding to check
    }

    private static int[] Distances(RowTiles tiles, float[] vectors) => tiles.Wide
        ? Record<Vector512Lanes, Vector512<float>>(tiles, vectors)
        : Record<MachineLanes, Vector<float>>(tiles, vectors);

    private static int[] Record<TLanes, TVector>(RowTiles tiles, float[] vectors)
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        var sink = new Recorder<TVector>([]);
        tiles.Run<TLanes, TVector, Recorder<TVector>>(vectors, vectors.Length / tiles.Dimension, ref sink);
        return MemoryMarshal.Cast<TVector, int>(CollectionsMarshal.AsSpan(sink.Taken)).ToArray();
    }

    private static int[] Masks(RowTiles tiles) => tiles.Wide ? MasksOf<Vector512Lanes, Vector512<float>>(tiles) : MasksOf<MachineLanes, Vector<float>>(tiles);

    private static int[] MasksOf<TLanes, TVector>(RowTiles tiles) where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        var registers = new List<TVector>();
        for (var tile = 0; tile < tiles.Tiles; tile++)
        {
            registers.Add(tiles.Valid<TLanes, TVector>(tile, high: false));
            registers.Add(tiles.Valid<TLanes, TVector>(tile, high: true));
        }
        return MemoryMarshal.Cast<TVector, int>(CollectionsMarshal.AsSpan(registers)).ToArray();
    }

    private readonly struct Recorder<TVector>(List<TVector> taken) : ITileSink<TVector> where TVector : struct
    {
        public List<TVector> Taken => taken;

        public void Take(int vector, int tile, TVector low, TVector high)
        {
            taken.Add(low);
            taken.Add(high);
        }
    }
}
