using Streaming.Messaging;
using Streaming.ServiceDefaults;
using Streaming.Windowing.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddKafka(builder.Configuration);
builder.AddWindowing();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
