using Streaming.Console.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

// Consumes "detections" and "alerts", keeps a bounded recent history in Redis and serves the web console (see README.md).
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddKafka(builder.Configuration);
builder.AddConsole();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapConsole();

app.Run();
