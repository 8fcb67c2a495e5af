using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Providers;
using UpmDurable.Providers.Sandbox;

namespace UpmDurable.Hosting;

/// <summary>
/// Wires the <c>sandbox</c> provider (the simulated cloud) when <c>Upm:Sandbox:Enabled</c> is true, or unset on a host
/// whose default is on. Off, it is not registered: requests naming it are refused, its tamper route answers 404 and
/// leaves the API document, and a <see cref="DisabledProvider"/> says why.
/// </summary>
internal static class SandboxProviderServices
{
    public static IServiceCollection AddSandboxProvider(this IServiceCollection services, SandboxOptions options, bool hostDefault)
    {
        services.AddSingleton(options);
        if (options.Enabled ?? hostDefault)
        {
            services.AddSingleton<IChangeProvider, SandboxProvider>();
        }
        else
        {
            services.AddSingleton(new DisabledProvider("sandbox", SandboxOptions.DisabledReason));
        }

        return services;
    }
}
