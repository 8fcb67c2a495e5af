using System.Globalization;
using UpmDurable.Testing.Chaos;

// Crash anywhere: N trials, each a multi-wave change needing approval (some rolling back), the local host killed with
// SIGKILL at a chosen point and restarted; every trial checks exactly-once effects, the evidence chain and the index.
// Usage: dotnet run -c Release --project bench/UpmDurable.Chaos -- [--trials 20] [--seed 1] [--latency-ms 1500]
//        [--lease-seconds 15] [--visibility-seconds 30] [--timeout-seconds 240] [--only N ...]
var options = new ChaosOptions { Log = line => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}") };
var only = new List<int>();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--trials": options.Trials = value; break;
        case "--seed": options.Seed = value; break;
        case "--latency-ms": options.SandboxLatencyMs = value; break;
        case "--lease-seconds": options.PartitionLeaseSeconds = value; break;
        case "--visibility-seconds": options.MessageVisibilitySeconds = value; break;
        case "--timeout-seconds": options.TrialTimeout = TimeSpan.FromSeconds(value); break;
        case "--only": only.Add(value); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (only.Count > 0)
{
    // Re-runs chosen trials of the seeded plan (same kill point, fault and names) on a fresh Azurite.
    options.Plan = ChaosTrial.Plan(options.Trials, options.Seed).Where(t => only.Contains(t.Number)).ToList();
}

Console.WriteLine($"chaos: {options.Trials} trials, seed {options.Seed}, sandbox latency {options.SandboxLatencyMs} ms, partition lease {options.PartitionLeaseSeconds} s, message visibility {options.MessageVisibilitySeconds} s, {Environment.ProcessorCount} cores");
var results = await new ChaosRun(options).RunAsync();
Console.WriteLine();
Console.Write(ChaosRun.Table(results));
return results.All(r => r.Passed) ? 0 : 1;
