using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Hosting;

/// <summary>
/// Where UpmDurable's traces and metrics go: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the console when
/// <c>Upm:Telemetry:Console</c> is true, Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set. With none
/// of these (and no test hook) nothing is registered and the spans cost nothing.
/// </summary>
public static class UpmTelemetryExport
{
    /// <summary>Sources traced besides our own: the Durable Task worker's orchestration and activity spans.</summary>
    static readonly string[] Sources = [UpmTelemetry.Name, "Microsoft.DurableTask"];

    /// <summary>Registers OpenTelemetry for a host. <paramref name="tracing"/> and <paramref name="metrics"/> add exporters (tests: in-memory).</summary>
    public static IServiceCollection AddUpmTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        bool otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        bool console = configuration.GetValue<bool>("Upm:Telemetry:Console");
        string? azureMonitor = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!otlp && !console && string.IsNullOrWhiteSpace(azureMonitor) && tracing is null && metrics is null)
        {
            return services;
        }

        OpenTelemetryBuilder builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? UpmTelemetry.Name))
            .WithTracing(t =>
            {
                // Server spans carry method, route and status; never headers (the API key) or bodies.
                t.AddSource(Sources).AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? true);
                if (console)
                {
                    t.AddConsoleExporter();
                }

                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    t.AddAzureMonitorTraceExporter(o => ConfigureAzureMonitor(o, azureMonitor, configuration));
                }

                tracing?.Invoke(t);
            })
            .WithMetrics(m =>
            {
                m.AddMeter(UpmTelemetry.Name).AddAspNetCoreInstrumentation();
                if (console)
                {
                    m.AddConsoleExporter();
                }

                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    m.AddAzureMonitorMetricExporter(o => ConfigureAzureMonitor(o, azureMonitor, configuration));
                }

                metrics?.Invoke(m);
            });

        if (otlp)
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS from configuration; traces, metrics and logs.
            builder.UseOtlpExporter();
        }

        return services;
    }

    // The app's Application Insights accepts Entra ID ingestion only: authenticate as the app's user-assigned identity.
    static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, string connectionString, IConfiguration configuration)
    {
        options.ConnectionString = connectionString;
        string? clientId = ClientIdOf(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) ?? configuration["Upm:Storage:ManagedIdentityClientId"];
        if (!string.IsNullOrWhiteSpace(clientId))
        {
            options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }
        else if (configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] is { Length: > 0 })
        {
            options.Credential = new DefaultAzureCredential();
        }
    }

    /// <summary>The <c>ClientId</c> of an Application Insights authentication string (<c>ClientId=...;Authorization=AAD</c>).</summary>
    public static string? ClientIdOf(string? authenticationString) =>
        authenticationString?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase) && kv[1].Length > 0)
            .Select(kv => kv[1])
            .FirstOrDefault();

}
