using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using UpmDurable.Core.Execution;
using Xunit;
using Xunit.Abstractions;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>
/// ≥ 10,000 malformed and hostile requests over every route of the real local host on Azurite: no 5xx, every refusal an
/// RFC 7807 problem, no orchestration or change row for a refused request, no shell meta on a plan command line.
/// Seed and count: <c>UPM_FUZZ_SEED</c>, <c>UPM_FUZZ_REQUESTS</c> (defaults 20260901 and 10,000).
/// </summary>
[Collection("security")]
public sealed class FuzzTests(SecurityFixture fixture, ITestOutputHelper output)
{
    const int Parallelism = 8;

    static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_only_problems_and_start_nothing()
    {
        int seed = Setting("UPM_FUZZ_SEED", 20260901);
        int count = Setting("UPM_FUZZ_REQUESTS", 10_000);
        Log($"fuzz seed {seed}, {count} requests (UPM_FUZZ_SEED / UPM_FUZZ_REQUESTS to change)");

        ChangeClient api = fixture.Api;
        var (changeId, planHash) = await api.SubmitAsync(ChangeClient.SampleChange(ChangeClient.Suffix()));
        await api.WaitForStatusAsync(changeId, TimeSpan.FromSeconds(90), "awaiting_approval");

        var clients = fixture.Azurite.Clients();
        int instancesBefore = await SandboxState.InstanceCountAsync(clients, SecurityFixture.TaskHub);
        int rowsBefore = await CountAsync(clients.ChangeTable);

        var fuzzer = new RequestFuzzer(seed, changeId, planHash);
        List<FuzzCase> cases = Enumerable.Range(0, count).Select(_ => fuzzer.Next()).ToList();

        var failures = new ConcurrentQueue<string>();
        var stats = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var accepted = new ConcurrentBag<(string Id, string? Key)>();
        int serverLevel = 0, plansChecked = 0, injections = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
        {
            FuzzCase fuzz = cases[i];
            FuzzResponse response;
            try
            {
                response = fuzz.Raw ? await SendRawAsync(fuzz, ct) : await SendAsync(fuzz, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                if (fuzz.Body is { Length: > 1024 * 1024 })
                {
                    // Over the limit: the host answers 413 before reading the rest and closes the connection, which
                    // HttpClient (still sending) reports as a send error.
                    stats.AddOrUpdate($"{fuzz.Route} 413 (closed while sending)", 1, (_, n) => n + 1);
                    return;
                }

                failures.Enqueue($"#{i} {fuzz.Method} {Clip(fuzz.Path)}: no answer ({ex.GetType().Name}: {ex.Message} / {ex.InnerException?.Message} / {ex.InnerException?.InnerException?.Message}); body {fuzz.Body?.Length} bytes, headers {string.Join(", ", fuzz.Headers.Select(h => $"{h.Name}[{h.Value.Length}]"))}");
                return;
            }

            stats.AddOrUpdate($"{fuzz.Route} {response.Status}", 1, (_, n) => n + 1);
            string? problem = Check(fuzz, response, ref serverLevel);
            if (problem is not null)
            {
                failures.Enqueue($"#{i} {fuzz.Method} {Clip(fuzz.Path)} [{(fuzz.Raw ? "raw" : "http")}] → {response.Status} {response.ContentType}: {problem}; body {Clip(Encoding.UTF8.GetString(response.Body))}; request {Clip(fuzz.Body is null ? "" : Encoding.UTF8.GetString(fuzz.Body))}");
            }

            if (fuzz.Injection)
            {
                Interlocked.Increment(ref injections);
            }

            if (response.Status is >= 200 and < 300 && fuzz.Route == "POST /api/plans")
            {
                Interlocked.Increment(ref plansChecked);
                if (CommandLineProblem(JsonNode.Parse(response.Body)!["plan"]!) is { } bad)
                {
                    failures.Enqueue($"#{i} plan with an unsafe command line: {bad}");
                }
            }

            if (response.Status == 202 && fuzz.Route == "POST /api/changes")
            {
                accepted.Add((JsonNode.Parse(response.Body)!["change_id"]!.GetValue<string>(), fuzz.Headers.FirstOrDefault(h => h.Name == "Authorization").Value?["Bearer ".Length..].Trim()));
            }
        });
        clock.Stop();

        // Every accepted change's stored plan passes the same command-line check.
        foreach (var (id, key) in accepted)
        {
            var (status, plan) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/plan", key);
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            if (CommandLineProblem(plan!) is { } bad)
            {
                failures.Enqueue($"accepted change {id} with an unsafe command line: {bad}");
            }
        }

        int instancesAfter = await SandboxState.InstanceCountAsync(clients, SecurityFixture.TaskHub);
        int rowsAfter = await CountAsync(clients.ChangeTable);

        foreach (var (route, n) in stats.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Log($"  {route,-60} {n,6}");
        }

        Log($"{cases.Count} requests in {clock.Elapsed.TotalSeconds:F1} s ({cases.Count / clock.Elapsed.TotalSeconds:F0}/s, {Parallelism} in flight); " +
            $"{cases.Count(c => c.Raw)} raw-socket, {serverLevel} refused by Kestrel before the app (no body), {injections} shell/traversal injections, " +
            $"{plansChecked} accepted plans and {accepted.Count} accepted changes checked for command lines; orchestrations {instancesBefore} → {instancesAfter}, change rows {rowsBefore} → {rowsAfter}");
        string log = fixture.Host.Log;
        var errors = log.Split('\n').Select((line, n) => (line, n)).Where(l => l.line.Contains("Unhandled error", StringComparison.Ordinal)).Take(5)
            .Select(l => string.Join('\n', log.Split('\n').Skip(l.n).Take(12)));
        Assert.True(failures.IsEmpty, $"{failures.Count} failures (seed {seed}):\n" + string.Join("\n", failures.Take(40)) + "\nHost errors:\n" + string.Join("\n---\n", errors));
        Assert.Equal(instancesBefore + accepted.Count, instancesAfter);
        Assert.Equal(rowsBefore + accepted.Count, rowsAfter);
    }

    // Null when the answer is acceptable for the request, else why not.
    static string? Check(FuzzCase fuzz, FuzzResponse response, ref int serverLevel)
    {
        if (response.Status is 0 or >= 500)
        {
            return "server error or no answer";
        }

        if (response.Status < 400)
        {
            return fuzz.Injection ? "a shell meta or traversal in a name or property was accepted" : null;
        }

        if (response.ContentType is null && response.Body.Length == 0 && response.Status is not 404)
        {
            // Kestrel refuses a malformed request (a NUL or control byte in the target, bad header bytes, headers too
            // large, conflicting framing) before any route runs: no problem body is possible there. Counted and printed.
            Interlocked.Increment(ref serverLevel);
            return response.Status is 400 or 413 or 414 or 431 ? null : "unexpected server-level status";
        }

        if (fuzz.Injection && response.Status is not (400 or 401 or 403 or 413))
        {
            return "an injection was refused with an unexpected status";
        }

        if (response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
        {
            return "not an application/problem+json answer";
        }

        try
        {
            JsonNode? problem = JsonNode.Parse(response.Body);
            if (problem?["status"]?.GetValue<int>() != response.Status || problem["title"] is null || problem["type"] is null || problem["detail"] is null)
            {
                return "problem document without type, title, status (matching) and detail";
            }

            if (response.Status == 400 && problem["errors"] is not JsonObject { Count: > 0 })
            {
                return "400 without an errors object naming the field";
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return "problem body is not JSON";
        }

        return null;
    }

    // Null when every command line of the plan is plain argv: passes the guard with no pipes allowed, printable ASCII, no quotes.
    static string? CommandLineProblem(JsonNode plan)
    {
        foreach (JsonNode? step in plan["steps"]!.AsArray())
        {
            foreach (string field in new[] { "command", "read_back", "rollback" })
            {
                string line = step![field]!.GetValue<string>();
                try
                {
                    CommandGuard.Check(line, []);
                }
                catch (CommandRefusedException ex)
                {
                    return $"{line}: {ex.Message}";
                }

                if (line.Any(c => c is < ' ' or > '~' or '\'' or '"' or '\\' or '`' or '$' or ';' or '|' or '&' or '<' or '>'))
                {
                    return line;
                }
            }
        }

        return null;
    }

    async Task<FuzzResponse> SendAsync(FuzzCase fuzz, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);

            // The host may answer a big body before reading it all and then close the connection: never pool that connection.
            request.Headers.ConnectionClose = fuzz.Body.Length > 64 * 1024;
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        foreach (var (name, value) in fuzz.Headers)
        {
            if (name == "Authorization")
            {
                request.Headers.TryAddWithoutValidation("Authorization", value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using HttpResponseMessage response = await fixture.Host.Http.SendAsync(request, cancellationToken);
        MediaTypeHeaderValue? type = response.Content.Headers.ContentType;
        return new FuzzResponse((int)response.StatusCode, type?.ToString(), await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    Task<FuzzResponse> SendRawAsync(FuzzCase fuzz, CancellationToken cancellationToken)
    {
        var headers = new List<(string, string)>(fuzz.Headers);
        if (fuzz.ContentType is not null && fuzz.Body is not null)
        {
            headers.Add(("Content-Type", fuzz.ContentType));
        }

        byte[] head = RawHttp.Head(fuzz.Method, fuzz.Path, headers, fuzz.Body?.Length ?? (fuzz.Method == "POST" ? 0 : null));
        return RawHttp.SendAsync(fixture.Host.Port, head, fuzz.Body, cancellationToken);
    }

    static async Task<int> CountAsync(TableClient table)
    {
        int count = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
