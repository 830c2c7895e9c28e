using Streaming.Alerting.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;
using Streaming.ServiceDefaults.Security;

// Consumes "alerts" and hands every alert to the configured webhooks (see README.md).
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiSecurity();
builder.Services.AddKafka(builder.Configuration);
builder.AddAlerting();

var app = builder.Build();

app.UseApiSecurity();
app.MapDefaultEndpoints();

app.Run();
