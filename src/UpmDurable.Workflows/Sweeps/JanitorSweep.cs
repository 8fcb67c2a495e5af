using Microsoft.Extensions.Logging;
using UpmDurable.Core.Audit;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Storage;
using UpmDurable.Workflows.Orchestrators;

namespace UpmDurable.Workflows.Sweeps;

/// <summary>What a janitor pass did: changes started from their stored request, changes made final.</summary>
public sealed record JanitorSweep(int Started, int Finalized);
