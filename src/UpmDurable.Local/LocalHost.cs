using Microsoft.DurableTask;
using UpmDurable.Hosting;

namespace UpmDurable.Local;

/// <summary>The local host's composition: the Functions app's routes and workflows on the Durable Task Azure Storage backend over Azurite.</summary>
public static class LocalHost
{
    /// <summary>
    /// Builds and runs the local host until it is stopped. <paramref name="moreTasks"/> registers further orchestrators and
    /// activities with the worker, for a host that is not the product (the benchmarks' host adds its floor orchestrator).
    /// </summary>
    public static async Task RunAsync(string[] args, Action<DurableTaskRegistry>? moreTasks = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddUpmDurable(builder.Configuration, LocalHostOptions.From(builder.Configuration).HostDefaults());
        builder.Services.AddUpmTelemetry(builder.Configuration);
        await builder.AddLocalDurableTaskAsync(moreTasks);

        var app = builder.Build();
        app.MapUpmRoutes();
        await app.RunAsync();
    }
}
