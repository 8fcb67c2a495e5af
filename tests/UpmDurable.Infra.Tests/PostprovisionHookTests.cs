using System.Diagnostics;
using Xunit;

namespace UpmDurable.Infra.Tests;

/// <summary>
/// scripts/postprovision.sh run against stand-in <c>azd</c> and <c>az</c> commands that log what they are asked: what the
/// hook does to the evidence retention policy and to Key Vault, without Azure.
/// </summary>
public sealed class PostprovisionHookTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("upm-hook-").FullName;

    public PostprovisionHookTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "scripts"));
        Directory.CreateDirectory(Path.Combine(root, "src", "UpmDurable.Functions"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy(RepositoryRoot.Combine("scripts", "postprovision.sh"), Path.Combine(root, "scripts", "postprovision.sh"));

        // azd prints the environment; az logs its arguments and answers from files the test writes.
        Stub("azd", "cat \"$FAKE/azd-env\"");
        Stub("az", """
            echo "$*" >> "$FAKE/az.log"
            case "$*" in
              "storage container immutability-policy show"*"--query state"*) [ -f "$FAKE/policy-state" ] && cat "$FAKE/policy-state" || exit 3 ;;
              "storage container immutability-policy show"*"--query etag"*) echo '"0x8DEVIDENCE"' ;;
              "storage container immutability-policy create"*) echo Unlocked > "$FAKE/policy-state" ;;
              "keyvault secret show"*) [ -f "$FAKE/kv-error" ] && { cat "$FAKE/kv-error" >&2; exit 1; } || echo "https://kv/secrets/x" ;;
            esac
            """);
    }

    [Fact]
    public void A_requested_lock_creates_the_missing_policy_with_the_retention_and_locks_it_with_its_etag()
    {
        var (exit, output) = Run(lockRequested: true);

        Assert.True(exit == 0, output);
        var calls = AzCalls();
        Assert.Contains(calls, c => c.StartsWith("storage container immutability-policy create --period 30 --allow-protected-append-writes false", StringComparison.Ordinal)
            && c.Contains("--container-name upm-evidence --resource-group rg-test", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("storage container immutability-policy lock --if-match \"0x8DEVIDENCE\"", StringComparison.Ordinal)
            && c.Contains("--account-name sttest", StringComparison.Ordinal));
        Assert.Contains("irreversible", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unlocked_policy_is_locked_without_being_recreated()
    {
        File.WriteAllText(Path.Combine(root, "policy-state"), "Unlocked\n");

        var (exit, output) = Run(lockRequested: true);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain(AzCalls(), c => c.Contains("immutability-policy create", StringComparison.Ordinal));
        Assert.Single(AzCalls(), c => c.Contains("immutability-policy lock", StringComparison.Ordinal));
    }

    [Fact]
    public void A_locked_policy_is_left_alone()
    {
        File.WriteAllText(Path.Combine(root, "policy-state"), "Locked\n");

        var (exit, output) = Run(lockRequested: true);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain(AzCalls(), c => c.Contains("immutability-policy create", StringComparison.Ordinal) || c.Contains("immutability-policy lock", StringComparison.Ordinal));
        Assert.Contains("already locked", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_lock_parameter_the_policy_is_not_touched_and_existing_secrets_are_kept()
    {
        var (exit, output) = Run(lockRequested: false);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain(AzCalls(), c => c.Contains("immutability-policy", StringComparison.Ordinal));
        Assert.DoesNotContain(AzCalls(), c => c.StartsWith("keyvault secret set", StringComparison.Ordinal));
        Assert.Equal(5, AzCalls().Count(c => c.StartsWith("keyvault secret show", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(root, "src", "UpmDurable.Functions", "local.settings.json")));
    }

    [Fact]
    public void A_key_vault_that_refuses_this_machine_stops_the_hook_with_the_fix_and_writes_no_secret()
    {
        File.WriteAllText(Path.Combine(root, "kv-error"),
            "ERROR: (Forbidden) Client address is not authorized and caller is not a trusted service.\nCode: Forbidden\nInner error: {\"code\": \"ForbiddenByFirewall\"}");

        var (exit, output) = Run(lockRequested: false);

        Assert.NotEqual(0, exit);
        Assert.Contains("ALLOWED_IP_ADDRESSES", output, StringComparison.Ordinal);
        Assert.DoesNotContain(AzCalls(), c => c.StartsWith("keyvault secret set", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private (int Exit, string Output) Run(bool lockRequested)
    {
        File.WriteAllText(Path.Combine(root, "azd-env"), $"""
            AZURE_STORAGE_ACCOUNT_NAME="sttest"
            AZURE_KEY_VAULT_NAME="kv-test"
            AZURE_RESOURCE_GROUP="rg-test"
            AZURE_EVIDENCE_CONTAINER_NAME="upm-evidence"
            AZURE_EVIDENCE_RETENTION_DAYS="30"
            AZURE_LOCK_EVIDENCE_IMMUTABILITY="{(lockRequested ? "true" : "false")}"

            """);
        var start = new ProcessStartInfo("sh", [Path.Combine(root, "scripts", "postprovision.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{Path.Combine(root, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE"] = root;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "postprovision.sh did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private List<string> AzCalls()
    {
        string log = Path.Combine(root, "az.log");
        return File.Exists(log) ? [.. File.ReadAllLines(log)] : [];
    }

    private void Stub(string name, string body)
    {
        string path = Path.Combine(root, "bin", name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
