using Microsoft.DurableTask;
using UpmDurable.Core.Windows;

namespace UpmDurable.Workflows.Activities;

/// <summary>Before execution and before each wave: is the change's window open at the orchestration's current time?</summary>
public sealed class CheckChangeWindow(Preflight preflight) : TaskActivity<WindowCheck, WindowStatus>
{
    public override Task<WindowStatus> RunAsync(TaskActivityContext context, WindowCheck input) => preflight.CheckWindowAsync(input.Calendar, input.At);
}
