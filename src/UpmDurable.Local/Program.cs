using UpmDurable.Local;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Telemetry;
using UpmDurable.Hosting;

// The local host: the Functions app's routes and workflows on the Durable Task Azure Storage backend over Azurite.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddUpmDurable(builder.Configuration, LocalHostOptions.From(builder.Configuration).HostDefaults());
builder.Services.AddUpmTelemetry(builder.Configuration);
await builder.AddLocalDurableTaskAsync();

var app = builder.Build();
app.MapUpmRoutes();
await app.RunAsync();
