using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Telemetry;

// The Azure Functions app (isolated worker): HTTP, timer, orchestration and activity triggers over UpmDurable.Workflows.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddUpmDurable(builder.Configuration);
builder.Services.AddUpmTelemetry(builder.Configuration);
builder.Build().Run();
