using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpmDurable.Storage;
using Xunit;
using UpmDurable.Hosting;

namespace UpmDurable.Workflows.Tests;

/// <summary>The one public address links are built on: configured, or the host's own; never a request's.</summary>
public sealed class PublicBaseUrlTests
{
    static IConfiguration Config(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [Fact]
    public void The_configured_address_wins_over_the_old_notify_key_and_the_host_default()
    {
        var config = Config(new() { [PublicBaseUrl.Key] = "https://upm.example.com/", [PublicBaseUrl.LegacyKey] = "https://old.example.com" });

        Assert.Equal("https://upm.example.com", PublicBaseUrl.From(config, "http://127.0.0.1:5000").Origin);
    }

    [Fact]
    public void The_old_notify_key_is_still_read_when_the_new_one_is_unset()
    {
        var config = Config(new() { [PublicBaseUrl.LegacyKey] = "https://old.example.com" });

        Assert.Equal("https://old.example.com", PublicBaseUrl.From(config, "http://127.0.0.1:5000").Origin);
    }

    [Fact]
    public void Unset_it_is_the_hosts_own_address_or_the_functions_default()
    {
        Assert.Equal("http://127.0.0.1:5000", PublicBaseUrl.From(Config([]), "http://127.0.0.1:5000").Origin);
        Assert.Equal(PublicBaseUrl.Fallback, PublicBaseUrl.From(Config([])).Origin);
    }

    [Fact]
    public void A_path_base_is_kept_and_links_are_joined_once()
    {
        PublicBaseUrl url = PublicBaseUrl.Parse("https://gateway.example.com/upm/", "test");

        Assert.Equal("https://gateway.example.com/upm/api/changes/chg-1", url.Link("/api/changes/chg-1"));
    }

    [Theory]
    [InlineData("upm.example.com")]
    [InlineData("/relative")]
    [InlineData("ftp://upm.example.com")]
    [InlineData("https://user:pass@upm.example.com")]
    [InlineData("https://upm.example.com/?next=evil")]
    [InlineData("https://upm.example.com/#frag")]
    [InlineData("javascript:alert(1)")]
    public void Anything_but_an_absolute_http_base_url_is_refused_naming_the_key(string value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => PublicBaseUrl.From(Config(new() { [PublicBaseUrl.Key] = value })));

        Assert.Contains(PublicBaseUrl.Key, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_hosts_get_the_address_and_the_key_file_default_from_AddUpmDurable()
    {
        using ServiceProvider local = new ServiceCollection().AddLogging()
            .AddUpmDurable(Config([]), new UpmHostDefaults("http://127.0.0.1:5005", "/data/keys/evidence-signing-key.pem")).BuildServiceProvider();
        Assert.Equal("http://127.0.0.1:5005", local.GetRequiredService<PublicBaseUrl>().Origin);
        Assert.Equal("/data/keys/evidence-signing-key.pem", local.GetRequiredService<EvidenceOptions>().SigningKeyFile);

        using ServiceProvider configured = new ServiceCollection().AddLogging()
            .AddUpmDurable(
                Config(new() { [PublicBaseUrl.Key] = "https://upm.example.com", ["Upm:Evidence:SigningKeyFile"] = "/etc/upm/key.pem" }),
                new UpmHostDefaults("http://127.0.0.1:5005", "/data/keys/evidence-signing-key.pem"))
            .BuildServiceProvider();
        Assert.Equal("https://upm.example.com", configured.GetRequiredService<PublicBaseUrl>().Origin);
        Assert.Equal("/etc/upm/key.pem", configured.GetRequiredService<EvidenceOptions>().SigningKeyFile);

        // The Functions host has no key file default: in Azure the key is the Key Vault reference, or nothing.
        using ServiceProvider functions = new ServiceCollection().AddLogging().AddUpmDurable(Config([])).BuildServiceProvider();
        Assert.Null(functions.GetRequiredService<EvidenceOptions>().SigningKeyFile);
        Assert.Equal("none", functions.GetRequiredService<EvidenceKeys>().Source);
    }
}
