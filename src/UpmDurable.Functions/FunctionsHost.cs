using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using UpmDurable.Hosting;

namespace UpmDurable.Functions;

/// <summary>The Functions worker's wiring, in one place so the boot test builds the host exactly as the app does.</summary>
public static class FunctionsHost
{
    /// <summary>The worker's builder with UpmDurable's services; <c>Program</c> builds and runs it.</summary>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
        Configure(builder);
        return builder;
    }

    /// <summary>
    /// What the Functions app assumes where configuration is silent: no sandbox (a deployed app acts on real targets;
    /// <c>Upm:Sandbox:Enabled=true</c> turns the simulated cloud on, e.g. in local.settings.json for <c>func start</c>).
    /// </summary>
    public static UpmHostDefaults HostDefaults { get; } = new(SandboxEnabled: false);

    /// <summary>HTTP through ASP.NET Core, UpmDurable's shared services and telemetry.</summary>
    public static void Configure(FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddUpmDurable(builder.Configuration, HostDefaults);
        builder.Services.AddUpmTelemetry(builder.Configuration);
    }
}
