using Streaming.Inference;
using Streaming.Inference.Api;
using Streaming.Inference.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;
using Streaming.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiSecurity();
builder.Services.AddKafka(builder.Configuration);
builder.AddInference();

var app = builder.Build();
// Load the model before accepting traffic, so a bad model folder fails the start, not a request.
app.Services.GetRequiredService<ModelHost>();
app.UseApiSecurity();
app.MapDefaultEndpoints();
app.MapPredict().RequireApiClient();
app.MapActivationIngestion().RequireApiClient();
app.Run();
