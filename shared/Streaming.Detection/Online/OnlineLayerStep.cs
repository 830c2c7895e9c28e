namespace Streaming.Detection.Online;

public sealed record OnlineLayerStep(string Layer, double Mmd2, double Threshold, bool Exceeded);
