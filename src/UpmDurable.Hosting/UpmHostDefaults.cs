using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UpmDurable.Api;
using UpmDurable.Api.Webhooks;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Storage;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.RateLimits;
using UpmDurable.Workflows.Registration;
using UpmDurable.Workflows.Sweeps;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Hosting;

/// <summary>
/// What a host knows about itself that configuration may leave unset: its own address, its data folder's key file, and
/// whether it runs the sandbox when <c>Upm:Sandbox:Enabled</c> is unset (the Functions app says no).
/// </summary>
public sealed record UpmHostDefaults(string? PublicBaseUrl = null, string? SigningKeyFile = null, bool SandboxEnabled = true);
