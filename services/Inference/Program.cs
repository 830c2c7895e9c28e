using Streaming.Inference;
using Streaming.Inference.Api;
using Streaming.Inference.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddKafka(builder.Configuration);
builder.AddInference();

var app = builder.Build();
// Load the model before accepting traffic, so a bad model folder fails the start, not a request.
app.Services.GetRequiredService<ModelHost>();
app.MapDefaultEndpoints();
app.MapPredict();
app.MapActivationIngestion();
app.Run();
