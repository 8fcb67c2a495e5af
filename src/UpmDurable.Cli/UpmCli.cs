using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace UpmDurable.Cli;

/// <summary>
/// The <c>upm</c> verbs. Service URL from <c>--url</c> or <c>UPM_URL</c> (default http://127.0.0.1:7071), API key from
/// <c>--key</c> or <c>UPM_API_KEY</c>. Exit codes: 0 done, 1 the service refused or the change did not complete, 2 usage.
/// </summary>
internal static class UpmCli
{
    static readonly HashSet<string> Final = ["completed", "rejected", "expired", "preflight_failed", "aborted", "failed", "rolled_back", "rollback_failed"];

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, HttpMessageHandler? handler = null, TimeSpan? pollInterval = null)
    {
        var url = new Option<string>("--url") { Description = "Service base URL (env UPM_URL)", Recursive = true, DefaultValueFactory = _ => Environment.GetEnvironmentVariable("UPM_URL") ?? "http://127.0.0.1:7071" };
        var key = new Option<string?>("--key") { Description = "API key (env UPM_API_KEY)", Recursive = true, DefaultValueFactory = _ => Environment.GetEnvironmentVariable("UPM_API_KEY") };
        var json = new Option<bool>("--json") { Description = "Print the service's JSON instead of tables", Recursive = true };
        TimeSpan poll = pollInterval ?? TimeSpan.FromSeconds(1);

        UpmClient Client(ParseResult r) => new(UpmClient.CreateHttp(new Uri(r.GetValue(url)!), r.GetValue(key), handler));

        var file = new Argument<FileInfo>("file") { Description = "Change request (JSON)" };
        var id = new Argument<string>("id") { Description = "Change id" };

        var plan = new Command("plan", "Compile and simulate a change request; starts nothing") { file };
        plan.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.PlanAsync(await File.ReadAllTextAsync(r.GetValue(file)!.FullName));
            if (r.GetValue(json))
            {
                console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            PrintPlan(console, result);
            return 0;
        }));

        var wait = new Option<bool>("--wait") { Description = "Follow the change until it finishes" };
        var submit = new Command("submit", "Submit a change request") { file, wait };
        submit.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode accepted = await client.SubmitAsync(await File.ReadAllTextAsync(r.GetValue(file)!.FullName));
            string changeId = accepted["change_id"]!.GetValue<string>();
            console.MarkupLineInterpolated($"submitted [bold]{changeId}[/] (plan {accepted["plan_hash"]})");
            return r.GetValue(wait) ? await FollowAsync(console, client, changeId, poll) : 0;
        }));

        var status = new Command("status", "Show a change") { id, wait };
        status.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            if (r.GetValue(wait))
            {
                return await FollowAsync(console, client, r.GetValue(id)!, poll);
            }

            JsonNode record = await client.GetAsync(r.GetValue(id)!);
            if (r.GetValue(json))
            {
                console.WriteLine(record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                PrintStatus(console, record);
            }

            return 0;
        }));

        var statusFilter = new Option<string?>("--status") { Description = "Only changes in this status" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List your tenant's changes") { statusFilter, limit };
        list.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.ListAsync(r.GetValue(statusFilter), r.GetValue(limit));
            var table = new Table().AddColumns("change", "status", "phase", "initiator", "submitted", "request");
            foreach (JsonNode? change in result["changes"]!.AsArray())
            {
                table.AddRow(Text(change!["change_id"]), Text(change["status"]), Text(change["phase"]), Text(change["initiator"]), Text(change["submitted_at"]), Text(change["request"]));
            }

            console.Write(table);
            return 0;
        }));

        var reject = new Option<bool>("--reject") { Description = "Reject instead of approve" };
        var comment = new Option<string?>("--comment") { Description = "Why" };
        var approve = new Command("approve", "Approve (or --reject) a change awaiting approval, bound to its current plan hash") { id, reject, comment };
        approve.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            string changeId = r.GetValue(id)!;
            JsonNode record = await client.GetAsync(changeId);
            string planHash = record["approvals"]?["plan_hash"]?.GetValue<string>() ?? record["plan"]?["plan_hash"]?.GetValue<string>() ?? string.Empty;
            string decision = r.GetValue(reject) ? "reject" : "approve";
            await client.DecideAsync(changeId, decision, planHash, r.GetValue(comment));
            console.MarkupLineInterpolated($"{decision} of [bold]{changeId}[/] accepted (plan {planHash})");
            return 0;
        }));

        var reason = new Option<string?>("--reason") { Description = "Why (recorded on the change)" };
        var operatorCommands = new[] { "pause", "resume", "abort", "rollback" }.Select(action =>
        {
            var command = new Command(action, $"Operator control: {action} a running change") { id, reason };
            command.SetAction(r => Guarded(console, async () =>
            {
                using UpmClient client = Client(r);
                await client.OperateAsync(r.GetValue(id)!, action, r.GetValue(reason));
                console.MarkupLineInterpolated($"{action} of [bold]{r.GetValue(id)}[/] accepted");
                return 0;
            }));
            return command;
        }).ToList();

        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the zip", Required = true };
        var evidence = new Command("evidence", "Download the signed evidence pack of a change") { id, output };
        evidence.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            var (pack, keyId) = await client.EvidenceAsync(r.GetValue(id)!);
            await File.WriteAllBytesAsync(r.GetValue(output)!.FullName, pack);
            console.MarkupLineInterpolated($"wrote {r.GetValue(output)!.FullName} ({pack.Length:N0} bytes, signed with key {keyId})");
            return 0;
        }));

        var verify = new Command("verify", "Re-check a change's stored evidence chain") { id };
        verify.SetAction(r => Guarded(console, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.VerifyEvidenceAsync(r.GetValue(id)!);
            bool ok = result["ok"]!.GetValue<bool>();
            if (ok)
            {
                console.MarkupLineInterpolated($"[green]evidence intact[/]: {result["records"]} records, chain head {result["chain_head"]}");
            }
            else
            {
                console.MarkupLineInterpolated($"[red]evidence broken at record {result["first_bad_record"]}[/]: {result["problem"]}");
            }

            return ok ? 0 : 1;
        }));

        var root = new RootCommand("upm — the UpmDurable command-line client") { url, key, json, plan, submit, status, list, approve, evidence, verify };
        foreach (Command command in operatorCommands)
        {
            root.Add(command);
        }

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.Message}[/]");
            }

            return 2;
        }

        return await parsed.InvokeAsync();
    }

    // Follows a change: prints each new audit-trace line (phase, waves, approvals pending) until it finishes.
    static async Task<int> FollowAsync(IAnsiConsole console, UpmClient client, string changeId, TimeSpan poll)
    {
        int seen = 0;
        string? lastStatus = null;
        while (true)
        {
            JsonNode record = await client.GetAsync(changeId);
            var trace = record["audit_trace"]!.AsArray();
            for (; seen < trace.Count; seen++)
            {
                console.MarkupLineInterpolated($"  [grey]{trace[seen]!["phase"]}[/] {trace[seen]!["msg"]}");
            }

            string statusText = record["status"]!.GetValue<string>();
            if (statusText != lastStatus && statusText is "awaiting_approval")
            {
                console.MarkupLineInterpolated($"  [yellow]approvals pending[/]: {record["approvals"]?["decisions"]?.AsArray().Count ?? 0} of {record["approvals"]?["required"]} — upm approve {changeId}");
            }

            lastStatus = statusText;
            if (Final.Contains(statusText))
            {
                string why = record["reason"] is { } reasonText ? ": " + reasonText : string.Empty;
                if (statusText == "completed")
                {
                    console.MarkupLineInterpolated($"[green]{statusText}[/]{why}");
                }
                else
                {
                    console.MarkupLineInterpolated($"[red]{statusText}[/]{why}");
                }

                return statusText == "completed" ? 0 : 1;
            }

            await Task.Delay(poll);
        }
    }

    static void PrintPlan(IAnsiConsole console, JsonNode result)
    {
        JsonNode plan = result["plan"]!;
        console.MarkupLineInterpolated($"plan [bold]{plan["plan_hash"]}[/]");
        var simulation = result["simulation"]!["steps"]!.AsArray().ToDictionary(s => s!["step_id"]!.GetValue<string>(), s => s!["action"]!.GetValue<string>());
        var table = new Table().AddColumns("wave", "step", "action", "command");
        foreach (JsonNode? step in plan["steps"]!.AsArray())
        {
            string stepId = step!["id"]!.GetValue<string>();
            table.AddRow(Text(step["wave"]), Markup.Escape(stepId), simulation.GetValueOrDefault(stepId, "?"), Markup.Escape(step["command"]!.GetValue<string>()));
        }

        console.Write(table);
        JsonNode? annotation = result["annotation"];
        console.MarkupLineInterpolated($"risk {annotation?["risk_score"]} ({annotation?["risk_level"]}), about {annotation?["monthly_cost_usd"]} USD/month; preflight {(result["preflight"]!["ok"]!.GetValue<bool>() ? "ok" : "FAILED")}");
        foreach (JsonNode? check in result["preflight"]!["checks"]!.AsArray().Where(c => !c!["ok"]!.GetValue<bool>()))
        {
            console.MarkupLineInterpolated($"  [red]{check!["type"]}[/] {check["message"]}");
        }

        console.WriteLine();
        console.WriteLine(result["graph"]!.GetValue<string>());
    }

    static void PrintStatus(IAnsiConsole console, JsonNode record)
    {
        var grid = new Grid().AddColumn().AddColumn();
        foreach (string field in new[] { "change_id", "status", "phase", "initiator", "submitted_at", "updated_at", "reason" })
        {
            if (record[field] is { } value)
            {
                grid.AddRow(field, Markup.Escape(value.ToString()));
            }
        }

        grid.AddRow("plan_hash", Markup.Escape(record["plan"]?["plan_hash"]?.ToString() ?? "-"));
        grid.AddRow("approvals", Markup.Escape($"{record["approvals"]?["decisions"]?.AsArray().Count ?? 0} of {record["approvals"]?["required"]} ({record["approvals"]?["outcome"]})"));
        grid.AddRow("steps", Markup.Escape($"{record["execution"]?["steps"]?.AsArray().Count ?? 0} executed, {record["rollback"]?["steps"]?.AsArray().Count ?? 0} rolled back"));
        grid.AddRow("evidence", Markup.Escape($"{record["evidence"]?["records"]} records, head {record["evidence"]?["chain_head"]}"));
        console.Write(grid);
    }

    static string Text(JsonNode? node) => Markup.Escape(node?.ToString() ?? string.Empty);

    // Service errors print the problem document's title, detail and each bad field; they never throw out of the CLI.
    static async Task<int> Guarded(IAnsiConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UpmApiException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Status}[/] {ex.Problem?["title"]} {ex.Problem?["detail"]}");
            foreach (var (field, messages) in ex.Problem?["errors"]?.AsObject() ?? [])
            {
                console.MarkupLineInterpolated($"  {field}: {messages}");
            }

            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException or UriFormatException)
        {
            console.MarkupLineInterpolated($"[red]error[/] {ex.Message}");
            return 1;
        }
    }
}
