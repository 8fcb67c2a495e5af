using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace UpmDurable.Testing;

/// <summary>
/// The local host (src/UpmDurable.Local, or another host built on it: <see cref="HostDll"/>) as a child process on a free
/// port, over a given Azurite and task hub.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    readonly string connectionString;
    readonly string taskHub;
    readonly StringBuilder log = new();
    Process? process;

    public LocalHostProcess(string connectionString, string taskHub, string storagePrefix = "upm")
    {
        this.connectionString = connectionString;
        this.taskHub = taskHub;
        StoragePrefix = storagePrefix;
        Port = Azurite.FreePort();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    /// <summary>The host to start: the product's local host unless a benchmark starts its own (<see cref="RepoPaths.BenchHostDll"/>).</summary>
    public string HostDll { get; init; } = RepoPaths.LocalHostDll;

    /// <summary>
    /// The host's evidence signing key file (created 0600 by the host when missing). Every host of one test run shares one,
    /// as hosts on one machine share their data folder, so a restarted or second host signs with the same key.
    /// </summary>
    public string SigningKeyFile { get; init; } = SharedSigningKeyFile;

    static readonly string SharedSigningKeyFile = CreateSharedKeyFolder();

    static string CreateSharedKeyFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"upm-test-keys-{System.Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Already gone, or still in use: it is a temp folder.
            }
        };
        return Path.Combine(folder, "evidence-signing-key.pem");
    }

    /// <summary>The account the <c>cli</c> provider acts on, never the host's own (a second Azurite); null: the cli provider stays disabled.</summary>
    public string? CliTargetConnectionString { get; init; }

    /// <summary>
    /// Control-queue partitions of the host's task hub; null: the product's default (4). The fixtures of the functional
    /// tests (one host, no crash or lease test) set <see cref="FunctionalPartitions"/>: an idle host polls each partition's
    /// queue, and with four it costs about half again as much CPU as with one (host and Azurite, measured in
    /// docs/testing.md). Benchmarks and the tests of several workers, crashes, outages and idle hosts keep four.
    /// </summary>
    public int? PartitionCount { get; init; }

    /// <summary>The partitions of a functional test's host: one.</summary>
    public const int FunctionalPartitions = 1;

    /// <summary>More environment variables for the host process.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>More configuration arguments (<c>--Upm:...=value</c>) for the host.</summary>
    public List<string> ExtraArgs { get; } = [];

    /// <summary>Extra API keys added after the seven demo keys of the local host's settings.</summary>
    int extraKeys;

    /// <summary>Configures one more API key (only its SHA-256 hash reaches the host) for a principal of one role and group.</summary>
    public void AddApiKey(string key, string principal, string tenant, string role, string group)
    {
        string at = $"--Upm:ApiKeys:{7 + extraKeys++}";
        ExtraArgs.Add($"{at}:Hash={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))}");
        ExtraArgs.Add($"{at}:Principal={principal}");
        ExtraArgs.Add($"{at}:Tenant={tenant}");
        ExtraArgs.Add($"{at}:Roles:0={role}");
        ExtraArgs.Add($"{at}:Groups:0={group}");
    }

    public string StoragePrefix { get; }

    public HttpClient Http { get; }

    /// <summary>The process id, to kill it from outside.</summary>
    public int Pid => process?.Id ?? throw new InvalidOperationException("not started");

    /// <summary>What the host printed so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>The webhook secret the test host is configured with for a provider.</summary>
    public static string WebhookSecret(string provider) => $"test-secret-{provider}-0123456789";

    /// <summary>The bearer token of the test host's ServiceNow outbound REST message (only its hash is configured).</summary>
    public const string ServiceNowToken = "test-servicenow-token-0123456789";

    /// <summary>
    /// The people every webhook provider of the test host maps (identity in the product → principal, group): dana only
    /// through webhooks; bob (who has an API key too) under two names; <c>Alice</c>, the submitter alice in other case.
    /// </summary>
    public static readonly (string External, string Principal, string Group)[] WebhookApprovers =
    [
        ("dana-hook", "dana", "platform-owners"),
        ("bob-hook", "bob", "platform-owners"),
        ("bob.builder@example.com", "bob", "platform-owners"),
        ("alice-hook", "Alice", "platform-owners"),
    ];

    /// <summary>Starts the host and waits until /api/health answers 200.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(HostDll))
        {
            throw new InvalidOperationException($"{HostDll} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[]
        {
            HostDll,
            $"--Upm:Local:Port={Port}",
            $"--Upm:Local:TaskHub={taskHub}",
            $"--Upm:Storage:ConnectionString={connectionString}",
            $"--Upm:Storage:Prefix={StoragePrefix}",
            $"--Upm:Evidence:SigningKeyFile={SigningKeyFile}",
            "--Upm:Sandbox:LatencyMs=5",
            "--Upm:Policies:CacheSeconds=0",
            "--Upm:Webhooks:servicenow:CredentialHash=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ServiceNowToken))),
            "--Upm:Webhooks:jira:ChangeIdField=customfield_10050",
            "--Upm:Webhooks:jira:PlanHashField=customfield_10051",
            "--Logging:LogLevel:DurableTask.AzureStorage=Information",
            "--Logging:LogLevel:DurableTask.Core=Information",
        })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string provider in new[] { "generic", "github", "servicenow", "jira" })
        {
            start.ArgumentList.Add($"--Upm:Webhooks:{provider}:Secret={WebhookSecret(provider)}");
            start.ArgumentList.Add($"--Upm:Webhooks:{provider}:Tenant=acme");
            int n = 0;
            foreach (var (external, principal, group) in WebhookApprovers)
            {
                start.ArgumentList.Add($"--Upm:Webhooks:{provider}:Approvers:{n}:External={external}");
                start.ArgumentList.Add($"--Upm:Webhooks:{provider}:Approvers:{n}:Principal={principal}");
                start.ArgumentList.Add($"--Upm:Webhooks:{provider}:Approvers:{n++}:Groups:0={group}");
            }
        }

        if (CliTargetConnectionString is not null)
        {
            start.ArgumentList.Add($"--Upm:Cli:StorageConnectionString={CliTargetConnectionString}");
        }

        if (PartitionCount is { } partitions)
        {
            start.ArgumentList.Add($"--Upm:Local:PartitionCount={partitions}");
        }

        foreach (string arg in ExtraArgs)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                // WaitForExitAsync also waits for the redirected output to drain, so the log is whole.
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"The local host exited with {process.ExitCode}:\n{Log}");
            }

            try
            {
                using HttpResponseMessage health = await Http.GetAsync("/api/health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The local host did not become healthy:\n{Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Kills the host with SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>An HTTP request with an API key.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? apiKey, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        Http.Dispose();
    }

    void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < 2_000_000)
            {
                log.AppendLine(line);
            }
        }
    }
}
