using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using UpmDurable.Local;
using UpmDurable.Testing;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Telemetry;
using Xunit;
using UpmDurable.Hosting;

namespace UpmDurable.Telemetry.Tests;

/// <summary>
/// The local host in this process (same wiring as its Program.cs) over Azurite, with in-memory trace and metric
/// exporters, and every secret it knows configured to a recognisable value.
/// </summary>
public sealed class InProcessHost : IAsyncLifetime
{
    public const string SubmitterKey = "demo-submitter-key";
    public const string ApproverKey = "demo-approver-key";
    public const string WebhookSecret = "webhook-secret-0f3c9a7e5d";
    public const string NotifySecret = "notify-secret-7c2e91b4aa";
    public const string NotifyUrlToken = "notify-url-token-44d1e8";

    WebApplication? app;

    public Azurite Azurite { get; private set; } = null!;

    public List<Activity> Spans { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The evidence signing key (PKCS#8 PEM body) the host signs with.</summary>
    public string SigningKeyPem { get; private set; } = string.Empty;

    /// <summary>Every value that must never appear in a span or metric attribute.</summary>
    public IReadOnlyList<string> Secrets => [SubmitterKey, ApproverKey, WebhookSecret, NotifySecret, NotifyUrlToken, AccountKey, SigningKeyBody];

    string AccountKey => Azurite.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];

    // A distinctive slice of the private key: the PEM body minus its header line.
    string SigningKeyBody => SigningKeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        int port = Azurite.FreePort();
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            SigningKeyPem = key.ExportPkcs8PrivateKeyPem();
        }

        string[] args =
        [
            $"--Upm:Local:Port={port}",
            "--Upm:Local:TaskHub=otelhub",
            $"--Upm:Storage:ConnectionString={Azurite.ConnectionString}",
            "--Upm:Sandbox:LatencyMs=5",
            $"--Upm:Evidence:SigningKeyPem={SigningKeyPem}",
            $"--Upm:Webhooks:generic:Secret={WebhookSecret}",
            "--Upm:Webhooks:generic:Tenant=acme",
            "--Upm:Webhooks:generic:Approvers:0:External=dana-hook",
            "--Upm:Webhooks:generic:Approvers:0:Principal=dana",
            "--Upm:Webhooks:generic:Approvers:0:Groups:0=platform-owners",
            // Notices go to a route of this host that answers 404 (final, not retried); the URL carries a token.
            $"--Upm:Notify:Url=http://127.0.0.1:{port}/notify-sink?token={NotifyUrlToken}",
            $"--Upm:Notify:Secret={NotifySecret}",
        ];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Services.AddUpmDurable(builder.Configuration);
        builder.Services.AddUpmTelemetry(builder.Configuration, t => t.AddInMemoryExporter(Spans), m => m.AddInMemoryExporter(Metrics));
        await builder.AddLocalDurableTaskAsync();
        app = builder.Build();
        app.MapUpmRoutes();
        await app.StartAsync();

        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string key, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>Exports everything recorded so far to the in-memory lists.</summary>
    public void Flush()
    {
        app!.Services.GetRequiredService<TracerProvider>().ForceFlush();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}
