using Streaming.Detector.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;
using Streaming.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiSecurity();
builder.Services.AddKafka(builder.Configuration);
builder.AddDetector();

var app = builder.Build();
app.Services.PrepareDetectors();
app.UseApiSecurity();
app.MapDefaultEndpoints();
app.Run();
