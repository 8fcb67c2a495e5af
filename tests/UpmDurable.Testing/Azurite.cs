using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using UpmDurable.Storage;

namespace UpmDurable.Testing;

/// <summary>A real Azurite (blob, queue, table) on free loopback ports with its data in a temp folder. Fails fast when it cannot start.</summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account key (not a secret).
    const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    readonly string folder;
    Process process;

    Azurite(Process process, string folder, int blob, int queue, int table)
    {
        this.process = process;
        this.folder = folder;
        BlobPort = blob;
        QueuePort = queue;
        TablePort = table;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The folder Azurite keeps its data in (to scan every stored byte).</summary>
    public string DataFolder => folder;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Storage clients on this Azurite with a given name prefix.</summary>
    public StorageClients Clients(string prefix = "upm") => new(new StorageOptions { ConnectionString = ConnectionString, Prefix = prefix });

    public static async Task<Azurite> StartAsync()
    {
        string script = Path.Combine(RepoPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} missing): run `npm ci` at the repository root (./test.sh does).");
        }

        // Free ports are picked before Azurite binds them, so two emulators started at once can race for one: a start that
        // fails is retried on new ports.
        for (int attempt = 1; ; attempt++)
        {
            string folder = Directory.CreateTempSubdirectory("upm-azurite-").FullName;
            int blob = FreePort(), queue = FreePort(), table = FreePort();
            var (process, output) = Launch(script, folder, blob, queue, table);
            var azurite = new Azurite(process, folder, blob, queue, table);
            if (await azurite.WaitListeningAsync())
            {
                return azurite;
            }

            bool exited = process.HasExited;
            await azurite.DisposeAsync();
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"Azurite did not start in {attempt} attempts (last exited: {exited}). Output:\n{output}");
            }
        }
    }

    /// <summary>
    /// Stops Azurite as a storage outage would (SIGTERM: it stops answering; its data stays in the folder). SIGKILL is not
    /// used: Azurite saves its metadata every 5 s, so a killed emulator forgets writes it had acknowledged, which no real
    /// storage account does.
    /// </summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts Azurite again after <see cref="StopAsync"/>, on the same ports and over the same data folder.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        process.Dispose();
        string script = Path.Combine(RepoPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        var (next, output) = Launch(script, folder, BlobPort, QueuePort, TablePort);
        process = next;
        if (!await WaitListeningAsync())
        {
            throw new InvalidOperationException($"Azurite did not restart (exited: {next.HasExited}). Output:\n{output}");
        }
    }

    static (Process Process, System.Text.StringBuilder Output) Launch(string script, string folder, int blob, int queue, int table)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            script, "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(), "--location", folder,
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    async Task<bool> WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await ListeningHere(BlobPort) && await ListeningHere(QueuePort) && await ListeningHere(TablePort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>Stops Azurite and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the OS eventually.
        }
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Listening on the port, and by this emulator: a port picked free can be taken by another process (another emulator,
    // a host) before ours binds it, and then a probe that only connects would take a stranger for our emulator, which
    // fails (or vanishes with the stranger) later. On Linux the listening socket's inode must be one of our process's fds.
    async Task<bool> ListeningHere(int port)
    {
        if (!await Listening(port))
        {
            return false;
        }

        HashSet<string>? listeners = ListeningInodes(port);
        if (listeners is null)
        {
            return true; // no /proc: the connect probe is all there is
        }

        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{process.Id}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget)
                .Any(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && listeners.Contains(target["socket:[".Length..^1]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // the process is gone (or going)
        }
    }

    // The inodes of the sockets listening on a loopback TCP port (/proc/net/tcp and tcp6), or null without /proc.
    static HashSet<string>? ListeningInodes(int port)
    {
        string[] tables = ["/proc/net/tcp", "/proc/net/tcp6"];
        if (!File.Exists(tables[0]))
        {
            return null;
        }

        string hexPort = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string table in tables.Where(File.Exists))
        {
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 9 && parts[1].EndsWith(hexPort, StringComparison.Ordinal) && parts[3] == "0A")
                {
                    inodes.Add(parts[9]);
                }
            }
        }

        return inodes;
    }

    static async Task<bool> Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
