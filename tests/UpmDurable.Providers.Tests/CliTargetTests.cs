using UpmDurable.Providers.Cli;
using UpmDurable.Storage;
using Xunit;

namespace UpmDurable.Providers.Tests;

/// <summary>The cli provider is refused any target that reaches the service's own account, however the connection string spells it.</summary>
public sealed class CliTargetTests
{
    const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    static string AzuriteAt(string host, int blobPort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://{host}:{blobPort}/devstoreaccount1;QueueEndpoint=http://{host}:{blobPort + 1}/devstoreaccount1;";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_missing_target_is_refused(string? target)
    {
        string? refusal = CliTarget.Refusal(target, new StorageOptions { ConnectionString = AzuriteAt("127.0.0.1", 10000) });

        Assert.Contains("is not set", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", null)]
    [InlineData("UseDevelopmentStorage=true", "UseDevelopmentStorage=true")]
    [InlineData("useDevelopmentStorage = TRUE ;", "UseDevelopmentStorage=true")]
    [InlineData("AZURITE:127.0.0.1:10000", null)]
    [InlineData("AZURITE:localhost:10000", "UseDevelopmentStorage=true")]
    [InlineData("AZURITE:127.0.0.1:10000", "AZURITE:localhost:10000")]
    [InlineData("AZURITE:127.0.0.1:10010", "AZURITE:127.0.0.1:10010")]
    [InlineData("BlobEndpoint=http://127.0.0.1:10010/devstoreaccount1/;SharedAccessSignature=sv=2020&sig=x", "AZURITE:127.0.0.1:10010")]
    public void The_services_own_local_account_is_refused_however_spelled(string target, string? service)
    {
        string? refusal = CliTarget.Refusal(Expand(target), new StorageOptions { ConnectionString = Expand(service) });

        Assert.NotNull(refusal);
        Assert.Contains("service's own storage account", refusal, StringComparison.Ordinal);
        Assert.Contains("devstoreaccount1", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=prodacct;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=ProdAcct;AccountKey=a2V5")]
    [InlineData("AccountName=prodacct;AccountKey=a2V5;BlobEndpoint=https://prodacct.blob.core.windows.net/")]
    [InlineData("BlobEndpoint=https://prodacct.blob.core.windows.net;SharedAccessSignature=sv=2020&sig=x")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=prodacct;AccountKey=a2V5")]
    public void The_services_own_azure_account_is_refused(string target)
    {
        Assert.NotNull(CliTarget.Refusal(target, new StorageOptions { AccountName = "prodacct" }));
    }

    [Theory]
    [InlineData("AZURITE:127.0.0.1:10010", "UseDevelopmentStorage=true")]
    [InlineData("AZURITE:127.0.0.1:10010", "AZURITE:127.0.0.1:10000")]
    [InlineData("UseDevelopmentStorage=true", "AZURITE:127.0.0.1:41000")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=targetacct;AccountKey=a2V5", "DefaultEndpointsProtocol=https;AccountName=prodacct;AccountKey=a2V5")]
    public void A_separate_account_is_accepted(string target, string service)
    {
        Assert.Null(CliTarget.Refusal(Expand(target), new StorageOptions { ConnectionString = Expand(service) }));
    }

    [Fact]
    public void A_separate_azure_account_is_accepted_beside_a_managed_identity_service()
    {
        Assert.Null(CliTarget.Refusal("DefaultEndpointsProtocol=https;AccountName=targetacct;AccountKey=a2V5", new StorageOptions { AccountName = "prodacct" }));
    }

    [Theory]
    [InlineData("AccountKey=a2V5")]
    [InlineData("not a connection string")]
    [InlineData("BlobEndpoint=not-a-uri")]
    public void A_target_that_does_not_say_which_account_is_refused(string target)
    {
        Assert.Contains("does not say which account", CliTarget.Refusal(target, new StorageOptions()), StringComparison.Ordinal);
    }

    static string? Expand(string? s) =>
        s is not null && s.StartsWith("AZURITE:", StringComparison.Ordinal) ? AzuriteAt(s.Split(':')[1], int.Parse(s.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture)) : s;
}
