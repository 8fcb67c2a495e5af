using UpmDurable.Core.Model;
using UpmDurable.Providers;

namespace UpmDurable.Workflows;

/// <summary>Input of <see cref="Activities.PollStepOperation"/>: the step and its pending record. Append-only contract.</summary>
public sealed record StepPoll(StepRequest Request, StepRecord Pending);
