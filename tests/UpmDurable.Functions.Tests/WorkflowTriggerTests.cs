using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Registration;
using Xunit;

namespace UpmDurable.Functions.Tests;

/// <summary>The Functions app's orchestration and activity triggers are exactly the shared task list, one trigger per task.</summary>
public sealed class WorkflowTriggerTests
{
    [Fact]
    public void Each_orchestrator_has_exactly_one_orchestration_trigger_and_there_are_no_others() =>
        AssertTriggersMatch(WorkflowTasks.Orchestrators, typeof(OrchestrationTriggerAttribute));

    [Fact]
    public void Each_activity_has_exactly_one_activity_trigger_and_there_are_no_others() =>
        AssertTriggersMatch(WorkflowTasks.Activities, typeof(ActivityTriggerAttribute));

    [Fact]
    public void Function_names_are_unique() =>
        Assert.Empty(Functions().GroupBy(f => f.Name).Where(g => g.Count() > 1).Select(g => g.Key));

    static void AssertTriggersMatch(Type[] tasks, Type trigger)
    {
        var triggers = Functions().Where(f => f.Method.GetParameters().Any(p => p.IsDefined(trigger))).Select(f => f.Name).ToList();
        Assert.Equal(tasks.Select(t => t.Name).Order(StringComparer.Ordinal), triggers.Order(StringComparer.Ordinal));
    }

    /// <summary>Every [Function] method of the app with the name the Functions host registers it under.</summary>
    internal static IEnumerable<(string Name, MethodInfo Method)> Functions() =>
        typeof(FunctionsHost).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Function is not null)
            .Select(f => (f.Function!.Name, f.Method));
}
