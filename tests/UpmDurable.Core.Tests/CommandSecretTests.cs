using System.Text.Json;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>Secrets in a command step's text are refused first, by kind and position, pointing at secretref:NAME and never echoing the value.</summary>
public sealed class CommandSecretTests
{
    [Theory]
    [InlineData("az storage container list --account-key Zm9vYmFyc2VjcmV0a2V5PT0=", "--account-key", 26, "Zm9vYmFyc2VjcmV0a2V5PT0=")]
    [InlineData("az storage container list --sas-token 'sv=2021&sig=s3cr3tSIG'", "--sas-token", 26, "s3cr3tSIG")]
    [InlineData("az storage container list --connection-string 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0'", "--connection-string", 26, "c2VjcmV0")]
    [InlineData("az login --password hunter22hunter", "--password", 9, "hunter22hunter")]
    [InlineData("az login --service-principal --client-secret 5up3rS3cr3t", "--client-secret", 29, "5up3rS3cr3t")]
    [InlineData("az storage container list --query 'AccountKey=c2VjcmV0a2V5'", "AccountKey", 35, "c2VjcmV0a2V5")]
    [InlineData("az storage container list --query 'SharedAccessSignature=sv=2020&sig=QWxhZGRpbg'", "SharedAccessSignature", 35, "QWxhZGRpbg")]
    [InlineData("az storage container list --query 'https://a.blob.core.windows.net/c?sv=1&sig=QWxhZGRpbjpvcGVu'", "sig", 74, "QWxhZGRpbjpvcGVu")]
    [InlineData("az rest --headers 'Authorization=Bearer abcdefghijklmnop'", "Bearer", 33, "abcdefghijklmnop")]
    [InlineData("az storage container list --query eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX3g", "JWT", 34, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiO")]
    [InlineData("az storage container list --query 'DefaultEndpointsProtocol=https'", "DefaultEndpointsProtocol", 35, "zzzzunused")]
    [InlineData("az storage container list --account-key=Zm9vYmFy; rm -rf /", "--account-key", 26, "Zm9vYmFy")]
    [InlineData("az storage container list | grep --token=abcd1234efgh", "--token", 33, "abcd1234efgh")]
    [InlineData("kubectl-1.29 get ns --token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX3g", "--token", 20, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiO")]
    [InlineData("az storage container list --query '-----BEGIN RSA PRIVATE KEY----- MIIEow'", "-----BEGIN RSA PRIVATE KEY-----", 35, "MIIEow")]
    public void A_secret_is_refused_before_any_other_check_without_echoing_it(string line, string kind, int position, string secret)
    {
        var ex = Assert.Throws<SecretInCommandException>(() => CommandGuard.CheckCommandStep(line, CommandCatalog.Default));

        Assert.Equal("secret_in_command", ex.Reason);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(position, ex.Position);
        Assert.Contains("secretref:NAME", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az storage container list | jq '.[] | select(.token == \"a\") | .password'")]
    [InlineData("az storage container list --query '[].{name: name, key: properties.publicAccess}'")]
    [InlineData("az storage container show --name secrets")]
    public void Words_that_merely_name_secrets_pass(string line)
    {
        CommandGuard.CheckCommandStep(line, CommandCatalog.Default);
    }

    [Fact]
    public void The_validator_reports_the_secret_on_the_field_without_the_value()
    {
        var step = new { type = "command", name = "peek", command = "az storage container list --account-key Zm9vYmFyc2VjcmV0a2V5PT0=" };
        string json = JsonSerializer.Serialize(new { request = "read", tenant = "acme", target = new { provider = "cli", resources = new[] { step } } });
        var ex = Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest)));

        string message = Assert.Single(ex.Errors.ToDictionary()["target.resources[0].command"]);
        Assert.Contains("peek", message, StringComparison.Ordinal);
        Assert.Contains("secretref:", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zm9vYmFy", message, StringComparison.Ordinal);
    }
}
