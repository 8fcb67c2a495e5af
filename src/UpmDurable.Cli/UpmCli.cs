using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using UpmDurable.Core.Audit;
using static UpmDurable.Cli.CliOutput;

namespace UpmDurable.Cli;

/// <summary>
/// The <c>upm</c> verbs. Endpoint and key: see <see cref="CliSettings"/>. <c>--output json</c> on every verb prints JSON
/// for scripts. Exit codes: see <see cref="ExitCodes"/> (0 ok, 1 change failed, 2 usage, 3 auth, 4 not found).
/// </summary>
internal static class UpmCli
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, HttpMessageHandler? handler = null, TimeSpan? pollInterval = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var endpoint = new Option<string?>("--endpoint", "--url") { Description = "Service base URL (env UPM_ENDPOINT; config file 'endpoint'; default http://127.0.0.1:7071)", Recursive = true };
        var key = new Option<string?>("--key", "--api-key") { Description = "API key (env UPM_API_KEY; config file 'api_key')", Recursive = true };
        var output = new Option<string>("--output") { Description = "table (default) or json", Recursive = true, DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var json = new Option<bool>("--json") { Description = "Same as --output json", Recursive = true, Hidden = true };
        TimeSpan poll = pollInterval ?? TimeSpan.FromSeconds(1);

        bool Json(ParseResult r) => r.GetValue(json) || r.GetValue(output) == "json";
        UpmClient Client(ParseResult r)
        {
            CliSettings settings = CliSettings.Resolve(r.GetValue(endpoint), r.GetValue(key), environment);
            return new UpmClient(UpmClient.CreateHttp(settings.Endpoint, settings.ApiKey, handler));
        }

        void Print(ParseResult r, JsonNode node, Action table)
        {
            if (Json(r))
            {
                WriteJson(console, node);
            }
            else
            {
                table();
            }
        }

        Task<int> Run(ParseResult r, Func<Task<int>> action) => Guarded(console, Json(r), action);

        var file = new Argument<FileInfo>("file") { Description = "Change request (JSON)" };
        var id = new Argument<string>("id") { Description = "Change id" };
        var wait = new Option<bool>("--wait") { Description = "Follow the change until it finishes (exit 0 only when it completes)" };

        var plan = new Command("plan", "Compile and simulate a change request; starts nothing") { file };
        plan.SetAction(r => Run(r, async () =>
        {
            JsonInputFile input = JsonInputFile.Read(r.GetValue(file)!.FullName);
            using UpmClient client = Client(r);
            JsonNode result = await WithInput(input, client.PlanAsync(input.Text));
            Print(r, result, () => PrintPlan(console, result));
            return ExitCodes.Ok;
        }));

        var submit = new Command("submit", "Submit a change request; --wait follows it with live progress") { file, wait };
        submit.SetAction(r => Run(r, async () =>
        {
            JsonInputFile input = JsonInputFile.Read(r.GetValue(file)!.FullName);
            using UpmClient client = Client(r);
            JsonNode accepted = await WithInput(input, client.SubmitAsync(input.Text));
            string changeId = Str(accepted["change_id"]);
            if (!r.GetValue(wait))
            {
                Print(r, accepted, () => console.MarkupLineInterpolated($"submitted [bold]{changeId}[/] (plan {accepted["plan_hash"]})"));
                return ExitCodes.Ok;
            }

            if (!Json(r))
            {
                console.MarkupLineInterpolated($"submitted [bold]{changeId}[/] (plan {accepted["plan_hash"]})");
            }

            return await FollowAsync(r, client, changeId);
        }));

        async Task<int> FollowAsync(ParseResult r, UpmClient client, string changeId)
        {
            JsonNode final = await new ChangeFollower(console, client, poll).FollowAsync(changeId, quiet: Json(r));
            if (Json(r))
            {
                WriteJson(console, final);
            }

            return Str(final["status"]) == "completed" ? ExitCodes.Ok : ExitCodes.Failed;
        }

        var status = new Command("status", "Show a change; --wait follows it") { id, wait };
        status.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            if (r.GetValue(wait))
            {
                return await FollowAsync(r, client, r.GetValue(id)!);
            }

            JsonNode record = await client.GetAsync(r.GetValue(id)!);
            Print(r, record, () => PrintStatus(console, record));
            return ExitCodes.Ok;
        }));

        var statusFilter = new Option<string?>("--status") { Description = "Only changes in this status" };
        var limit = new Option<int>("--limit") { Description = "At most this many (1-500)", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List your tenant's changes") { statusFilter, limit };
        list.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.ListAsync(r.GetValue(statusFilter), r.GetValue(limit));
            Print(r, result, () =>
            {
                var table = new Table().AddColumns("change", "status", "run", "phase", "initiator", "submitted", "request");
                foreach (JsonNode? change in result["changes"]?.AsArray() ?? [])
                {
                    table.AddRow(Text(change!["change_id"]), Text(change["status"]), SimulatedLabel.Of(change), Text(change["phase"]), Text(change["initiator"]), Text(change["submitted_at"]), Text(change["request"]));
                }

                console.Write(table);
            });
            return ExitCodes.Ok;
        }));

        var reject = new Option<bool>("--reject") { Description = "Reject instead of approve" };
        var comment = new Option<string?>("--comment") { Description = "Why" };
        var approve = new Command("approve", "Approve (or --reject) a change awaiting approval, bound to its current plan hash") { id, reject, comment };
        approve.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            string changeId = r.GetValue(id)!;
            JsonNode record = await client.GetAsync(changeId);
            string planHash = record["approvals"]?["plan_hash"]?.GetValue<string>() ?? record["plan"]?["plan_hash"]?.GetValue<string>() ?? string.Empty;
            string decision = r.GetValue(reject) ? "reject" : "approve";
            JsonNode answer = await client.DecideAsync(changeId, decision, planHash, r.GetValue(comment));
            Print(r, answer, () => console.MarkupLineInterpolated($"{decision} of [bold]{changeId}[/] accepted (plan {planHash})"));
            return ExitCodes.Ok;
        }));

        var reason = new Option<string?>("--reason") { Description = "Why (recorded on the change)" };
        var operatorCommands = new[] { "pause", "resume", "abort", "rollback" }.Select(action =>
        {
            var command = new Command(action, $"Operator control: {action} a running change") { id, reason };
            command.SetAction(r => Run(r, async () =>
            {
                using UpmClient client = Client(r);
                JsonNode answer = await client.OperateAsync(r.GetValue(id)!, action, r.GetValue(reason));
                Print(r, answer, () => console.MarkupLineInterpolated($"{action} of [bold]{r.GetValue(id)}[/] accepted"));
                return ExitCodes.Ok;
            }));
            return command;
        }).ToList();

        // `upm evidence ID -o pack.zip` downloads; `upm evidence verify pack.zip` checks a pack offline.
        var packOut = new Option<FileInfo>("-o", "--file") { Description = "Where to write the zip", Required = true };
        var evidence = new Command("evidence", "Download the signed evidence pack of a change (or: evidence verify PACK)") { id, packOut };
        evidence.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            var (pack, keyId) = await client.EvidenceAsync(r.GetValue(id)!);
            string path = r.GetValue(packOut)!.FullName;
            await File.WriteAllBytesAsync(path, pack);
            Print(r, new JsonObject { ["file"] = path, ["bytes"] = pack.Length, ["key_id"] = keyId },
                () => console.MarkupLineInterpolated($"wrote {path} ({pack.Length:N0} bytes, signed with key {keyId})"));
            return ExitCodes.Ok;
        }));

        var packIn = new Argument<FileInfo>("pack") { Description = "Evidence pack (zip)" };
        var publicKey = new Option<FileInfo?>("--public-key") { Description = "The service's public key (PEM, from GET /api/evidence/public-key); default: the key inside the pack" };
        var verifyPack = new Command("verify", "Verify an evidence pack offline: signature, every file's hash, the record chain") { packIn, publicKey };
        verifyPack.SetAction(r => Run(r, async () =>
        {
            byte[] pack = await ReadFileAsync(r.GetValue(packIn)!.FullName);
            FileInfo? keyFile = r.GetValue(publicKey);
            string? pem = keyFile is null ? EmbeddedPublicKey(pack) : await File.ReadAllTextAsync(keyFile.FullName);
            List<string> problems = pem is null ? [$"no {EvidencePack.PublicKeyName} in the pack: pass --public-key"] : EvidencePack.VerifyOffline(pack, pem);
            bool ok = problems.Count == 0;
            string keySource = keyFile is null ? "the key inside the pack (proves integrity, not who signed: pass --public-key)" : keyFile.FullName;
            Print(r, new JsonObject { ["ok"] = ok, ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode?)p)]), ["public_key"] = keySource }, () =>
            {
                if (ok)
                {
                    console.MarkupLineInterpolated($"[green]pack intact[/]: signature, hashes and chain verify with {keySource}");
                }

                foreach (string problem in problems)
                {
                    console.MarkupLineInterpolated($"[red]{problem}[/]");
                }
            });
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        evidence.Add(verifyPack);

        var verify = new Command("verify", "Re-check a change's stored evidence chain on the service") { id };
        verify.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.VerifyEvidenceAsync(r.GetValue(id)!);
            bool ok = result["ok"]?.GetValue<bool>() == true;
            Print(r, result, () =>
            {
                if (ok)
                {
                    console.MarkupLineInterpolated($"[green]evidence intact[/]: {result["records"]} records, chain head {result["chain_head"]}");
                }
                else
                {
                    console.MarkupLineInterpolated($"[red]evidence broken at record {result["first_bad_record"]}[/]: {result["problem"]}");
                }
            });
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));

        var drift = new Command("drift", "Show a change's latest drift report") { id };
        drift.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            string changeId = r.GetValue(id)!;
            JsonNode report;
            try
            {
                report = await client.DriftAsync(changeId);
            }
            catch (UpmApiException ex) when (ex.Status == 404)
            {
                Print(r, new JsonObject { ["change_id"] = changeId, ["status"] = "not_monitored", ["detail"] = ex.Problem?["detail"]?.DeepClone() },
                    () => console.MarkupLineInterpolated($"{changeId}: [yellow]not monitored[/] ({ex.Problem?["detail"]})"));
                return ExitCodes.NotFound;
            }

            Print(r, report, () => PrintDrift(console, report));
            return ExitCodes.Ok;
        }));

        var since = new Option<string?>("--since") { Description = "Only changes submitted since (ISO-8601; default: 30 days ago)" };
        var kpis = new Command("kpis", "The ten UPM quality KPIs over your tenant's changes (auditor)") { since };
        kpis.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.KpisAsync(r.GetValue(since));
            Print(r, result, () =>
            {
                console.MarkupLineInterpolated($"tenant {result["tenant"]}, {result["changes"]} changes since {result["since"]}: {SimulatedLabel.Basis(result)}");
                PrintKpis(console, result["kpis"]);
            });
            return ExitCodes.Ok;
        }));

        var scorecard = new Command("scorecard", "The UPM scorecard row: per-phase level with every clause, gates, KPIs (auditor)") { since };
        scorecard.SetAction(r => Run(r, async () =>
        {
            using UpmClient client = Client(r);
            JsonNode result = await client.ScorecardAsync(r.GetValue(since));
            Print(r, result, () => PrintScorecard(console, result));
            return ExitCodes.Ok;
        }));

        var root = new RootCommand("upm — the UpmDurable command-line client. Exit codes: 0 ok, 1 change failed or refused, 2 usage or invalid input, 3 auth, 4 not found.")
        {
            endpoint, key, output, json, plan, submit, status, list, approve, evidence, verify, drift, kpis, scorecard,
        };
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

            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync();
    }

    static async Task<JsonNode> WithInput(JsonInputFile input, Task<JsonNode> call)
    {
        try
        {
            return await call;
        }
        catch (UpmApiException ex)
        {
            ex.Input = input;
            throw;
        }
    }

    static async Task<byte[]> ReadFileAsync(string path)
    {
        try
        {
            return await File.ReadAllBytesAsync(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: cannot read: {ex.Message}");
        }
    }

    static string? EmbeddedPublicKey(byte[] pack)
    {
        try
        {
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(pack), System.IO.Compression.ZipArchiveMode.Read);
            if (zip.GetEntry(EvidencePack.PublicKeyName) is not { } entry)
            {
                return null;
            }

            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    // Service errors print the problem's title, detail and each bad field (with its line in the input file); they never throw out of the CLI.
    static async Task<int> Guarded(IAnsiConsole console, bool json, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UpmApiException ex)
        {
            if (json)
            {
                WriteJson(console, new JsonObject { ["status"] = ex.Status, ["problem"] = ex.Problem?.DeepClone() });
                return ExitCodes.ForStatus(ex.Status);
            }

            console.MarkupLineInterpolated($"[red]{ex.Status}[/] {ex.Problem?["title"]} {ex.Problem?["detail"]}");
            foreach (var (field, messages) in ex.Problem?["errors"]?.AsObject() ?? [])
            {
                string messageText = messages is JsonArray array ? string.Join(" ", array.Select(Str)) : Str(messages);
                string where = ex.Input?.LineOf(field) is { } line ? $"{ex.Input.Path}:{line}: " : string.Empty;
                console.MarkupLineInterpolated($"  {where}{field}: {messageText}");
            }

            if (ex.Status == 401)
            {
                console.MarkupLine("  set the key with --key, UPM_API_KEY or \"api_key\" in the config file");
            }

            return ExitCodes.ForStatus(ex.Status);
        }
        catch (CliUsageException ex)
        {
            console.MarkupLineInterpolated($"[red]error[/] {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            console.MarkupLineInterpolated($"[red]error[/] {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
