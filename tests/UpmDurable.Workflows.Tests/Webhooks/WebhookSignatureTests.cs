using System.Text;
using UpmDurable.Testing;
using UpmDurable.Api.Webhooks;
using Xunit;
using UpmDurable.Core.Signing;

namespace UpmDurable.Workflows.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    const string Secret = "a-webhook-secret-0123456789";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"change_id":"chg-1","decision":"approve"}""");

    static WebhookAuthentication Upm(string? header, string? delivery, byte[]? body = null) => UpmSignature.Verify(header, delivery, body ?? Body, Secret, Now, 300);

    [Fact]
    public void Upm_signature_covers_time_delivery_id_and_body_and_matches_an_independent_implementation()
    {
        string header = UpmSignature.Sign(Secret, Now.ToUnixTimeSeconds(), "d-1", Body);
        Assert.Equal(WebhookRequest.UpmSignature(Secret, Now.ToUnixTimeSeconds(), "d-1", Body), header);
        Assert.Equal(WebhookAuthentication.Accepted("d-1"), Upm(header, "d-1"));

        Assert.Contains("does not match", Upm(header, "d-2")!.Problem, StringComparison.Ordinal);
        Assert.Contains("does not match", Upm(header, "d-1", [.. Body, (byte)' '])!.Problem, StringComparison.Ordinal);
        Assert.Contains("does not match", UpmSignature.Verify(header, "d-1", Body, "another-secret-0123456789", Now, 300).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Upm_signature_refuses_a_missing_or_malformed_delivery_id_stale_or_future_times_and_garbage()
    {
        Assert.Contains("X-Upm-Delivery is required", Upm(UpmSignature.Sign(Secret, Now.ToUnixTimeSeconds(), "", Body), null).Problem, StringComparison.Ordinal);
        foreach (string bad in new[] { "", "a/b", "a b", "a\nb", "x#y", new string('d', 129), "ä" })
        {
            Assert.False(Upm(UpmSignature.Sign(Secret, Now.ToUnixTimeSeconds(), bad, Body), bad).Ok, bad);
        }

        foreach (long t in new[] { Now.ToUnixTimeSeconds() - 301, Now.ToUnixTimeSeconds() + 301, 0 })
        {
            Assert.Contains("stale", Upm(UpmSignature.Sign(Secret, t, "d-1", Body), "d-1").Problem, StringComparison.Ordinal);
        }

        foreach (string garbage in new[] { "", "t=abc,v1=00", "v1=00", "t=1", "t=-1,v1=x", "t=99999999999999999999,v1=x", $"t={Now.ToUnixTimeSeconds()},v1=zz", $"t={Now.ToUnixTimeSeconds()},v1=" + new string('0', 64) })
        {
            Assert.False(Upm(garbage, "d-1").Ok, garbage);
        }
    }

    [Fact]
    public void Hub_signature_verifies_github_and_jira_bodies_and_refuses_forgeries_in_constant_shape()
    {
        string header = WebhookRequest.HubSignature(Secret, Body);
        Assert.Equal(HubSignature.Sign(Secret, Body), header);
        Assert.Equal(WebhookAuthentication.Accepted("72d3162e-cc78-11e3-81ab-4c9367dc0958"), HubSignature.Verify(header, "72d3162e-cc78-11e3-81ab-4c9367dc0958", Body, Secret, "X-Hub-Signature-256", "X-GitHub-Delivery"));
        Assert.True(HubSignature.Verify(header.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), "1", Body, Secret, "X-Hub-Signature", "X-Atlassian-Webhook-Identifier").Ok);

        foreach (var (signature, delivery) in new[] { (header, (string?)null), (header, "a/b"), ("sha1=" + header[7..], "1"), (header[7..], "1"), ("sha256=" + new string('z', 64), "1"), ("sha256=", "1"), (HubSignature.Sign("forged-secret-0123456789", Body), "1") })
        {
            Assert.False(HubSignature.Verify(signature, delivery, Body, Secret, "X-Hub-Signature", "X-Atlassian-Webhook-Identifier").Ok, $"{signature} {delivery}");
        }

        Assert.False(HubSignature.Verify(header, "1", [.. Body, (byte)'x'], Secret, "X-Hub-Signature-256", "X-GitHub-Delivery").Ok);
    }

    [Fact]
    public void Outbound_credential_accepts_the_configured_bearer_or_basic_credential_by_hash_only()
    {
        string token = OutboundCredential.Hash("snow-token-0123456789");
        Assert.Equal(WebhookAuthentication.Accepted(null), OutboundCredential.Verify("Bearer snow-token-0123456789", null, token));
        Assert.Equal(WebhookAuthentication.Accepted("CHG0030001.7"), OutboundCredential.Verify("bearer  snow-token-0123456789 ", "CHG0030001.7", token));

        string basic = OutboundCredential.Hash("svc.upm:pa:ss word");
        Assert.True(OutboundCredential.Verify("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("svc.upm:pa:ss word")), null, basic).Ok);

        foreach (string? bad in new[] { null, "", "Bearer", "Bearer ", "Bearer snow-token-012345678", "Basic !!!", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon")), "Basic " + Convert.ToBase64String([0xff, 0x3a, 0x41]), "Negotiate abc", "Bearer " + new string('t', 3000) })
        {
            Assert.False(OutboundCredential.Verify(bad, null, token).Ok, bad);
        }

        Assert.False(OutboundCredential.Verify("Bearer snow-token-0123456789", "a/b", token).Ok);
    }
}
