using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Registration;
using Xunit;

namespace UpmDurable.Functions.Tests;

/// <summary>
/// The worker host builds as <c>func start</c> builds it (Development: scopes and registrations validated on build), and
/// the Functions runtime can create every function class and every activity from it. Nothing is run: no gRPC, no storage.
/// </summary>
public sealed class FunctionsHostBootTests
{
    [Fact]
    public void Host_builds_in_Development_with_every_registration_validated()
    {
        using IHost host = BuildHost();
        Assert.True(host.Services.GetRequiredService<IHostEnvironment>().IsDevelopment());
    }

    [Fact]
    public void Every_function_class_is_created_from_the_container()
    {
        using IHost host = BuildHost();
        using IServiceScope scope = host.Services.CreateScope();
        var classes = FunctionClasses().Where(t => !(t.IsAbstract && t.IsSealed)).ToList(); // static classes need no instance
        Assert.NotEmpty(classes);
        foreach (Type type in classes)
        {
            // As the worker's default activator does: constructor arguments from the invocation's scope.
            Assert.IsType(type, ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
    }

    [Fact]
    public void Every_activity_is_created_from_the_container()
    {
        using IHost host = BuildHost();
        using IServiceScope scope = host.Services.CreateScope();
        foreach (Type activity in WorkflowTasks.Activities)
        {
            // An activity that starts orchestrations gets its starter from the trigger's [DurableClient] binding.
            object instance = WorkflowTasks.ClientActivities.Contains(activity)
                ? ActivatorUtilities.CreateInstance(scope.ServiceProvider, activity, new UnusedStarter())
                : scope.ServiceProvider.GetRequiredService(activity);
            Assert.IsType(activity, instance);
        }
    }

    // The worker reads its environment from AZURE_FUNCTIONS_ENVIRONMENT, which `func start` sets to Development. Tests of
    // this class run one at a time; the variable is put back after the build.
    static IHost BuildHost()
    {
        string? environment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        Environment.SetEnvironmentVariable(EnvironmentVariable, Environments.Development);
        try
        {
            FunctionsApplicationBuilder builder = FunctionsHost.CreateBuilder([]);
            // What Development implies, stated so the test does not depend on how the builder derives it.
            builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
            return builder.Build();
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, environment);
        }
    }

    const string EnvironmentVariable = "AZURE_FUNCTIONS_ENVIRONMENT";

    static IEnumerable<Type> FunctionClasses() =>
        typeof(FunctionsHost).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null));

    sealed class UnusedStarter : IOrchestrationStarter
    {
        public Task<bool> StartIfIdleAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> StopAsync(string instanceId, string reason, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<InstanceState> StateAsync(string instanceId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
