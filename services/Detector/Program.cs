using Streaming.Detector.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddKafka(builder.Configuration);
builder.AddDetector();

var app = builder.Build();
app.Services.PrepareDetectors();
app.MapDefaultEndpoints();
app.Run();
