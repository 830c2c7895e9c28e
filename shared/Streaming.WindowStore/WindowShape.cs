namespace Streaming.WindowStore;

/// <summary>Size, slide and time flush of one kind of window: the stream windows or the model-wide one.</summary>
internal readonly record struct WindowShape(int Size, int Slide, int MinSize, TimeSpan MaxWait)
{
    public static WindowShape Of(WindowOptions o) => new(o.Size, o.Slide, o.MinSize, o.MaxWait);

    public static WindowShape Of(ModelWideWindowOptions o) => new(o.Size, o.Slide, o.MinSize, o.MaxWait);
}
