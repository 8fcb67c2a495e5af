using Microsoft.Extensions.Configuration;
using Xunit;

namespace UpmDurable.Local.Tests;

/// <summary>What the local host tells the shared services about itself: its own address and its data folder's key file.</summary>
public sealed class LocalHostOptionsTests
{
    static LocalHostOptions From(Dictionary<string, string?> settings) =>
        LocalHostOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void The_public_address_defaults_to_the_loopback_port_the_host_listens_on()
    {
        Assert.Equal("http://127.0.0.1:7071", From([]).HostDefaults().PublicBaseUrl);
        Assert.Equal("http://127.0.0.1:5123", From(new() { ["Upm:Local:Port"] = "5123" }).HostDefaults().PublicBaseUrl);
    }

    [Fact]
    public void The_local_host_runs_the_sandbox_unless_configured_off_and_run_sh_and_appsettings_say_so()
    {
        Assert.True(From([]).HostDefaults().SandboxEnabled);
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "UpmDurable.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("UpmDurable.sln not found");
        }

        IConfiguration appsettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "src", "UpmDurable.Local", "appsettings.json")).Build();
        Assert.Equal("True", appsettings["Upm:Sandbox:Enabled"]);
        Assert.Contains("export Upm__Sandbox__Enabled=\"${Upm__Sandbox__Enabled:-true}\"", File.ReadAllText(Path.Combine(root, "run.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_signing_key_file_is_in_the_data_folder_outside_any_storage_emulator_folder()
    {
        string key = From(new() { ["Upm:Local:DataFolder"] = "/srv/upm" }).HostDefaults().SigningKeyFile!;
        Assert.Equal("/srv/upm/keys/evidence-signing-key.pem", key);

        string user = From([]).HostDefaults().SigningKeyFile!;
        string expected = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "UpmDurable", "keys", "evidence-signing-key.pem");
        Assert.Equal(expected, user);
        Assert.DoesNotContain(".azurite", user, StringComparison.Ordinal);
    }
}
