using UpmDurable.Core.Execution;
using UpmDurable.Providers.Cli.Runner;

namespace UpmDurable.Providers.Tests.Cli.Runner;

/// <summary>A temp directory of fake tool scripts (sh only as a script's interpreter, never invoked by the runner) and a manifest over them.</summary>
public sealed class FakeTools : IDisposable
{
    public FakeTools()
    {
        Dir = Path.Combine(Path.GetTempPath(), "upm-runner-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        Script("flaky", """
            n=$(cat "$FLAKY_STATE" 2>/dev/null || echo 0)
            n=$((n+1))
            echo $n > "$FLAKY_STATE"
            if [ $n -lt 3 ]; then echo "503 Service Unavailable (attempt $n)" >&2; exit 1; fi
            echo "ok after $n"
            """);
        Script("tlsy", """
            for a in "$@"; do
              if [ "$a" = "--insecure-skip-tls-verify" ]; then echo "connected insecurely"; exit 0; fi
            done
            echo "Unable to connect: x509: certificate signed by unknown authority" >&2
            exit 1
            """);
        Script("tls-broken", """
            echo "SSL: CERTIFICATE_VERIFY_FAILED certificate verify failed" >&2
            exit 1
            """);
        Script("fails", """
            echo out
            echo "boom" >&2
            exit 3
            """);
        Script("spawner", """
            sleep 30 &
            echo $! > "$PID_FILE"
            wait
            """);
        Script("forever", """
            while true; do echo y; done
            """);
        Script("envdump", """
            echo "telemetry=$AZURE_CORE_COLLECT_TELEMETRY errors=$AZURE_CORE_ONLY_SHOW_ERRORS conn=$AZURE_STORAGE_CONNECTION_STRING plain=$PLAIN_SETTING"
            """);
        Script("to-stderr", """
            echo "$@" >&2
            """);
        Script("marker", """
            touch "$MARKER"
            """);
        Script("bigerr", """
            head -c 5000 /dev/zero | tr '\0' 'e' >&2
            """);
        Script("versioned", """
            echo "Client Version: v1.29.3"
            """);
        Script("args", """
            for a in "$@"; do echo "[$a]"; done
            """);

        var tools = new List<ToolSpec>();
        foreach (string bin in new[] { "echo", "printf", "cat", "sleep", "head" })
        {
            tools.Add(new ToolSpec { Name = bin, Path = "/usr/bin/" + bin, Version = "9.1" });
        }

        foreach (string fake in new[] { "flaky", "tlsy", "tls-broken", "fails", "spawner", "forever", "envdump", "to-stderr", "marker", "bigerr", "versioned", "args" })
        {
            tools.Add(new ToolSpec { Name = fake, Path = Path.Combine(Dir, fake), Version = "1.0.0" });
        }

        Manifest = ToolManifest.From(tools);
    }

    public string Dir { get; }

    public ToolManifest Manifest { get; }

    public string Script(string name, string body)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
