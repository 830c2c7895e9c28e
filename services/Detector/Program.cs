using Streaming.Detector;
using Streaming.Detector.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddKafka(builder.Configuration);
builder.AddDetector();

var app = builder.Build();
// Load the reference before consuming, so a bad reference file fails the start with its reason.
app.Services.GetRequiredService<WindowTestRunner>();
app.MapDefaultEndpoints();
app.Run();
