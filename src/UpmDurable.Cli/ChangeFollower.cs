using System.Text.Json.Nodes;
using Spectre.Console;

namespace UpmDurable.Cli;

/// <summary>
/// Follows a change until it finishes. On an interactive terminal: live bars (the phase, one per wave from the plan,
/// approvals pending with who must decide, rollback) above the audit lines. Redirected: the same facts as plain lines,
/// each printed once when it changes.
/// </summary>
internal sealed class ChangeFollower(IAnsiConsole console, UpmClient client, TimeSpan poll)
{
    static readonly string[] PhaseOrder = ["plan", "preflight", "execute", "verify", "audit"];

    public static readonly HashSet<string> FinalStatuses = ["completed", "rejected", "expired", "preflight_failed", "aborted", "failed", "rolled_back", "rollback_failed"];

    /// <summary>Polls until a final status; returns the final record.</summary>
    public async Task<JsonNode> FollowAsync(string changeId, bool quiet)
    {
        if (quiet)
        {
            while (true)
            {
                JsonNode record = await client.GetAsync(changeId);
                if (FinalStatuses.Contains(Str(record["status"])))
                {
                    return record;
                }

                await Task.Delay(poll);
            }
        }

        JsonNode final = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi
            ? await LiveAsync(changeId)
            : await PlainAsync(changeId);
        string status = Str(final["status"]);
        string why = final["reason"] is { } reason ? ": " + reason : string.Empty;
        console.MarkupLineInterpolated($"[{(status == "completed" ? "green" : "red")}]{status}[/]{why}");
        return final;
    }

    async Task<JsonNode> PlainAsync(string changeId)
    {
        int seen = 0;
        var printed = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            JsonNode record = await client.GetAsync(changeId);
            seen = PrintTrace(record, seen);
            View view = View.Of(record);
            Once(printed, $"phase {view.Phase} ({view.Status})");
            foreach (WaveView wave in view.Waves.Where(w => w.Done > 0))
            {
                Once(printed, $"wave {wave.Number}/{view.Waves.Count}: {wave.Done}/{wave.Total} steps{(wave.Failed > 0 ? $", {wave.Failed} failed" : string.Empty)}");
            }

            if (view.Status == "awaiting_approval")
            {
                Once(printed, $"approvals pending: {view.Approved} of {view.Required} from {view.Groups} — upm approve {changeId}");
            }

            if (view.RollbackDone > 0)
            {
                Once(printed, $"rollback: {view.RollbackDone}/{view.RollbackTotal} steps undone");
            }

            if (FinalStatuses.Contains(view.Status))
            {
                return record;
            }

            await Task.Delay(poll);
        }
    }

    void Once(HashSet<string> printed, string line)
    {
        if (printed.Add(line))
        {
            console.MarkupLineInterpolated($"[blue]{line}[/]");
        }
    }

    int PrintTrace(JsonNode record, int seen)
    {
        var trace = record["audit_trace"]?.AsArray() ?? [];
        for (; seen < trace.Count; seen++)
        {
            console.MarkupLineInterpolated($"  [grey]{trace[seen]!["phase"]}[/] {trace[seen]!["msg"]}");
        }

        return seen;
    }

    async Task<JsonNode> LiveAsync(string changeId)
    {
        JsonNode? final = null;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async progress =>
            {
                ProgressTask phase = progress.AddTask("phase", maxValue: PhaseOrder.Length);
                var waves = new List<ProgressTask>();
                ProgressTask? approvals = null, rollback = null;
                int seen = 0;
                while (true)
                {
                    JsonNode record = await client.GetAsync(changeId);
                    seen = PrintTrace(record, seen);
                    View view = View.Of(record);
                    phase.Description = Markup.Escape($"phase {view.Phase} ({view.Status})");
                    phase.Value = Array.IndexOf(PhaseOrder, view.Phase) + (FinalStatuses.Contains(view.Status) ? 1 : 0);

                    if (view.Required > 0 || view.Status == "awaiting_approval")
                    {
                        approvals ??= progress.AddTask("approvals", maxValue: Math.Max(1, view.Required));
                        approvals.MaxValue = Math.Max(1, view.Required);
                        approvals.Value = view.Approved;
                        approvals.Description = Markup.Escape(view.Status == "awaiting_approval"
                            ? $"approvals pending: {view.Approved} of {view.Required} from {view.Groups} (upm approve {changeId})"
                            : $"approvals: {view.Approved} of {view.Required} ({view.Outcome})");
                    }

                    for (int i = waves.Count; i < view.Waves.Count; i++)
                    {
                        waves.Add(progress.AddTask($"wave {i + 1}", maxValue: Math.Max(1, view.Waves[i].Total)));
                    }

                    for (int i = 0; i < view.Waves.Count; i++)
                    {
                        WaveView wave = view.Waves[i];
                        waves[i].Value = wave.Done;
                        waves[i].Description = Markup.Escape($"wave {wave.Number}/{view.Waves.Count}: {wave.Done}/{wave.Total} steps{(wave.Failed > 0 ? $", {wave.Failed} failed" : string.Empty)}");
                    }

                    if (view.RollbackTotal > 0)
                    {
                        rollback ??= progress.AddTask("rollback", maxValue: view.RollbackTotal);
                        rollback.Value = view.RollbackDone;
                        rollback.Description = Markup.Escape($"rollback: {view.RollbackDone}/{view.RollbackTotal} steps undone");
                    }

                    if (FinalStatuses.Contains(view.Status))
                    {
                        final = record;
                        return;
                    }

                    await Task.Delay(poll);
                }
            });
        return final!;
    }

    static string Str(JsonNode? node) => node?.ToString() ?? string.Empty;

    /// <summary>What the progress display shows, read from a change record.</summary>
    sealed record View(string Phase, string Status, List<WaveView> Waves, int Required, int Approved, string Groups, string Outcome, int RollbackDone, int RollbackTotal)
    {
        public static View Of(JsonNode record)
        {
            var executed = (record["execution"]?["steps"]?.AsArray() ?? []).Where(s => s is not null)
                .GroupBy(s => Str(s!["step_id"]), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Str(g.Last()!["outcome"]), StringComparer.Ordinal);
            var waves = (record["plan"]?["waves"]?.AsArray() ?? []).Select((wave, i) =>
            {
                var ids = (wave?.AsArray() ?? []).Select(Str).ToList();
                return new WaveView(i + 1, ids.Count, ids.Count(executed.ContainsKey), ids.Count(id => executed.GetValueOrDefault(id) == "failed"));
            }).ToList();
            JsonNode? approvals = record["approvals"];
            int approved = (approvals?["decisions"]?.AsArray() ?? []).Count(d => Str(d?["decision"]) == "approve");
            var groups = (approvals?["groups"]?.AsArray() ?? []).Select(Str).ToList();
            // A compensation is registered before each step starts: a rollback undoes every step that was started.
            int rollbackTotal = record["rollback"]?["executed"]?.GetValue<bool>() == true ? executed.Count : 0;
            int rollbackDone = record["rollback"]?["steps"]?.AsArray().Count ?? 0;
            return new View(
                Str(record["phase"]),
                Str(record["status"]),
                waves,
                approvals?["required"]?.GetValue<int>() ?? 0,
                approved,
                groups.Count == 0 ? "(any approver)" : string.Join(", ", groups),
                Str(approvals?["outcome"]),
                rollbackDone,
                Math.Max(rollbackTotal, rollbackDone));
        }
    }

    sealed record WaveView(int Number, int Total, int Done, int Failed);
}
