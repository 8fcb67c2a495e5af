using System.Diagnostics;
using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Workflows.Diagnostics;
using UpmDurable.Workflows.Telemetry;

namespace UpmDurable.Workflows.Activities;

/// <summary>Before execution and before each wave: is the change's window open at the orchestration's current time?</summary>
public sealed class CheckChangeWindow(Preflight preflight, ActivityFaults faults) : TaskActivity<WindowCheck, WindowStatus>
{
    public override async Task<WindowStatus> RunAsync(TaskActivityContext context, WindowCheck input)
    {
        if (input is { Tenant: { } tenant, ChangeId: { } changeId })
        {
            await faults.ThrowIfInjectedAsync(tenant, changeId, "window");
        }

        using Activity? span = UpmTelemetry.Start("upm.check_window", context.InstanceId, null, Phases.Execute);
        span?.SetTag(UpmTelemetry.Attributes.Calendar, input.Calendar);
        WindowStatus status = await preflight.CheckWindowAsync(input.Calendar, input.At);
        span?.SetTag(UpmTelemetry.Attributes.Outcome, status.Open ? "open" : "closed");
        return status;
    }
}
