using Streaming.Alerting.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

// Consumes "alerts" and hands every alert to the configured webhooks (see README.md).
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddKafka(builder.Configuration);
builder.AddAlerting();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
