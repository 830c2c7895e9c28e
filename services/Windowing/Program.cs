using Streaming.Messaging;
using Streaming.ServiceDefaults;
using Streaming.ServiceDefaults.Security;
using Streaming.Windowing.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiSecurity();
builder.Services.AddKafka(builder.Configuration);
builder.AddWindowing();

var app = builder.Build();
app.UseApiSecurity();
app.MapDefaultEndpoints();
app.Run();
