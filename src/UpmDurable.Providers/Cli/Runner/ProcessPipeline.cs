using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace UpmDurable.Providers.Cli.Runner;

/// <summary>
/// Runs argv stages as real processes chained stdout → stdin, without a shell. Pipefail semantics: the exit code is
/// the rightmost non-zero stage's, except stages stopped because their reader exited (the SIGPIPE case). Every stage
/// runs in the <see cref="ChildEnvironment"/> clean room: an empty environment plus the room's names and the
/// credentials, in a private working folder created for the run and deleted after it.
/// </summary>
internal static class ProcessPipeline
{
    /// <summary>Exit code reported when the timeout killed the pipeline (as coreutils <c>timeout</c> does).</summary>
    public const int TimedOutRc = 124;

    /// <summary>Exit code reported when a program cannot be started (as a shell does).</summary>
    public const int NotStartedRc = 127;

    /// <summary>Output captured beyond the limit so redaction sees whole secrets at the cut before truncation.</summary>
    public const int CaptureMargin = 8 * 1024;

    static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    public static async Task<ProcessOutcome> RunAsync(
        IReadOnlyList<IReadOnlyList<string>> stages,
        ChildEnvironment room,
        IReadOnlyDictionary<string, string> credentials,
        TimeSpan timeout,
        int maxOutputBytes,
        CancellationToken cancellationToken)
    {
        string workingDirectory = room.CreateWorkingDirectory();
        var processes = new List<Process>(stages.Count);
        bool[] brokenPipe = new bool[stages.Count];
        try
        {
            Dictionary<string, string> environment = room.For(workingDirectory, credentials);
            foreach (IReadOnlyList<string> argv in stages)
            {
                processes.Add(Start(argv, environment, workingDirectory));
            }

            // The first program reads no input: nothing of ours is ever piped into a tool except another stage's output.
            processes[0].StandardInput.Close();

            int cap = maxOutputBytes + CaptureMargin;
            var pumps = new List<Task>();
            for (int i = 0; i < processes.Count - 1; i++)
            {
                int stage = i;
                pumps.Add(PumpAsync(processes[stage], processes[stage + 1], () => brokenPipe[stage] = true));
            }

            var stdout = new BoundedCapture(processes[^1].StandardOutput.BaseStream, cap);
            var stderrs = processes.Select(p => new BoundedCapture(p.StandardError.BaseStream, cap)).ToList();
            Task[] all = [.. processes.Select(p => p.WaitForExitAsync(CancellationToken.None)), .. pumps, stdout.Completion, .. stderrs.Select(s => s.Completion)];

            bool timedOut = false;
            using var timeoutCts = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            try
            {
                await Task.WhenAll(all).WaitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                foreach (Process p in processes)
                {
                    KillTree(p);
                }

                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
                try
                {
                    await Task.WhenAll(all).WaitAsync(DrainAfterKill, CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    // A grandchild outside the tree still holds a pipe: report what was captured so far.
                }
                catch (IOException)
                {
                    // A pipe broke while the tree was being killed: what was captured stands.
                }
            }

            int[] codes = processes.Select(p => p.HasExited ? p.ExitCode : -1).ToArray();
            int rc = 0;
            if (timedOut)
            {
                rc = TimedOutRc;
            }
            else
            {
                for (int i = codes.Length - 1; i >= 0; i--)
                {
                    if (codes[i] != 0 && !brokenPipe[i])
                    {
                        rc = codes[i];
                        break;
                    }
                }
            }

            var stderrText = new StringBuilder();
            foreach (BoundedCapture s in stderrs)
            {
                stderrText.Append(s.Text());
            }

            return new ProcessOutcome(rc, stdout.Text(), stdout.TotalBytes, stderrText.ToString(), stderrs.Sum(s => s.TotalBytes), timedOut, codes);
        }
        finally
        {
            foreach (Process p in processes)
            {
                KillTree(p);
                p.Dispose();
            }

            ChildEnvironment.DeleteWorkingDirectory(workingDirectory);
        }
    }

    static Process Start(IReadOnlyList<string> argv, Dictionary<string, string> environment, string workingDirectory)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        // ProcessStartInfo starts from a copy of the host's environment (the service's own credentials among it): drop it all.
        psi.Environment.Clear();
        foreach ((string name, string value) in environment)
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
            return process;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            process.Dispose();
            throw new ProgramStartException(argv[0], ex);
        }
    }

    static async Task PumpAsync(Process from, Process to, Action onBrokenPipe)
    {
        Stream source = from.StandardOutput.BaseStream;
        Stream sink = to.StandardInput.BaseStream;
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer)) > 0)
            {
                try
                {
                    await sink.WriteAsync(buffer.AsMemory(0, n));
                    await sink.FlushAsync();
                }
                catch (IOException)
                {
                    // The reader exited (head -1): stop the writer as SIGPIPE would in a shell.
                    onBrokenPipe();
                    KillTree(from);
                    await source.CopyToAsync(Stream.Null);
                    return;
                }
            }
        }
        finally
        {
            try
            {
                to.StandardInput.Close();
            }
            catch (IOException)
            {
                // Already broken: nothing to close.
            }
        }
    }

    static void KillTree(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Reads a stream to its end, keeping at most <c>cap</c> bytes and counting the rest.</summary>
    sealed class BoundedCapture
    {
        readonly List<byte> _kept = [];
        readonly Lock _gate = new();
        readonly int _cap;
        long _total;

        public BoundedCapture(Stream stream, int cap)
        {
            _cap = cap;
            Completion = ReadAsync(stream);
        }

        public Task Completion { get; }

        public long TotalBytes
        {
            get
            {
                lock (_gate)
                {
                    return _total;
                }
            }
        }

        public string Text()
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(_kept));
            }
        }

        async Task ReadAsync(Stream stream)
        {
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                lock (_gate)
                {
                    int keep = Math.Min(n, Math.Max(0, _cap - _kept.Count));
                    _kept.AddRange(buffer.AsSpan(0, keep));
                    _total += n;
                }
            }
        }
    }
}
