using Microsoft.DurableTask;

namespace UpmDurable.Bench.Host;

/// <summary>An activity that does nothing and returns its input: the cost of one activity round trip through the backend.</summary>
public sealed class NoOp : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input);
}
