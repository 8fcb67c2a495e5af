using UpmDurable.Core.Execution;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("kubectl get pods --token=abc123secret", "abc123secret", "--token=***")]
    [InlineData("kubectl get pods --token abc123secret -n x", "abc123secret", "--token *** -n x")]
    [InlineData("az login --password hunter2hunter2", "hunter2hunter2", "--password ***")]
    [InlineData("az login --password=hunter2hunter2", "hunter2hunter2", "--password=***")]
    [InlineData("az login --password 'hunter2 hunter2'", "hunter2", "--password ***")]
    [InlineData("az ad sp create --client-secret s3cr3tvalue", "s3cr3tvalue", "--client-secret ***")]
    [InlineData("curl -H 'Authorization: Bearer eyJhbGciOi.payload.sig' x", "eyJhbGciOi", "Authorization: Bearer ***")]
    [InlineData("> Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "Authorization: Basic ***")]
    [InlineData("token is Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl", "Bearer ***")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Eby8vdM02xNOcqFl==;BlobEndpoint=http://x", "Eby8vdM02xNOcqFl", "AccountKey=***;BlobEndpoint")]
    [InlineData("Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=k3yk3yk3y=", "k3yk3yk3y", "SharedAccessKey=***")]
    [InlineData("BlobEndpoint=https://a;SharedAccessSignature=sv=2021-08-06&ss=b&sig=AbCdEf%2B%3D", "AbCdEf", "SharedAccessSignature=***")]
    [InlineData("Server=db;User Id=sa;Password=p@ssw0rd!;", "p@ssw0rd!", "Password=***;")]
    [InlineData("GET https://a.blob.core.windows.net/c?sv=2021-08-06&se=2030-01-01&sig=AbC%2Bd%3D&sp=r", "AbC%2Bd", "sig=***&sp=r")]
    [InlineData("{\"accessToken\": \"eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJo.c2ln\", \"expiresOn\": \"x\"}", "eyJ0eXAiOiJKV1Qi", "\"accessToken\": \"***\"")]
    [InlineData("jwt eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJodHRw.c2lnbmF0dXJl end", "eyJhdWQiOiJodHRw", "jwt *** end")]
    public void Each_secret_pattern_is_masked(string text, string secret, string expected)
    {
        string redacted = SecretRedactor.Default.Redact(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(expected, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_private_key_block_is_masked_whole_even_when_cut()
    {
        const string pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----\nafter";

        Assert.Equal("key:\n***\nafter", SecretRedactor.Default.Redact(pem));
        Assert.Equal("key:\n***", SecretRedactor.Default.Redact("key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq"));
    }

    [Fact]
    public void Configured_secret_values_are_masked_wherever_they_appear()
    {
        var redactor = new SecretRedactor(["s3cr3t-value-42", "ab"]);

        Assert.Equal("x *** y ***", redactor.Redact("x s3cr3t-value-42 y s3cr3t-value-42"));
        Assert.Equal("ab stays: shorter than the minimum", redactor.Redact("ab stays: shorter than the minimum"));
    }

    [Fact]
    public void A_following_flag_is_not_taken_as_the_secret()
    {
        Assert.Equal("x --token --verbose", SecretRedactor.Default.Redact("x --token --verbose"));
    }

    [Fact]
    public void Plain_text_is_unchanged()
    {
        const string text = "az storage container create --name logs --metadata env=dev";

        Assert.Equal(text, SecretRedactor.Default.Redact(text));
    }
}
