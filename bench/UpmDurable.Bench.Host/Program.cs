using UpmDurable.Bench.Host;
using UpmDurable.Local;

// The benchmarks' host: the product's local host (same settings, routes and workflows) plus the engine's floor, the
// FanOutFloorOrchestrator and its NoOp activity, which the product does not ship. Started by bench/UpmDurable.Bench.Execution.
await LocalHost.RunAsync(args, tasks =>
{
    tasks.AddOrchestrator<FanOutFloorOrchestrator>();
    tasks.AddActivity<NoOp>();
});
