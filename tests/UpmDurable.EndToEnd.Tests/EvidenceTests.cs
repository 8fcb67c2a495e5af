using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using UpmDurable.Core.Audit;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>Evidence: signed packs verified offline, tamper detection on the stored blobs, who may read what.</summary>
[Collection("host")]
public sealed class EvidenceTests(HostFixture fixture)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    readonly ChangeClient api = fixture.Api;

    async Task<string> CompletedChangeAsync(string visibility = "team")
    {
        JsonObject change = ChangeClient.SampleChange(ChangeClient.Suffix());
        change["visibility"] = visibility;
        var (id, _) = await api.SubmitApprovedAsync(change);
        await api.WaitForStatusAsync(id, Timeout, "completed");
        return id;
    }

    async Task<byte[]> PackAsync(string id, string key = ChangeClient.Auditor)
    {
        using HttpResponseMessage response = await fixture.Host.Http.SendAsync(LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/evidence", key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    async Task<string> PublicKeyAsync()
    {
        var (status, body) = await api.SendAsync(HttpMethod.Get, "/api/evidence/public-key", null);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["public_key_pem"]!.GetValue<string>();
    }

    async Task<JsonNode> VerifyAsync(string id)
    {
        var (status, body) = await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    BlobContainerClient Evidence => fixture.Azurite.Clients().EvidenceContainer;

    async Task<List<string>> BlobNamesAsync(string id)
    {
        var names = new List<string>();
        await foreach (var item in Evidence.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"acme/{id}/", default))
        {
            names.Add(item.Name);
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Pack_verifies_offline_with_the_published_key_and_fails_after_one_byte_changes()
    {
        string id = await CompletedChangeAsync();
        byte[] pack = await PackAsync(id);
        string publicKey = await PublicKeyAsync();

        Assert.Empty(EvidencePack.VerifyOffline(pack, publicKey));

        using (var zip = new ZipArchive(new MemoryStream(pack)))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("manifest.json", names);
            Assert.Contains("manifest.sig", names);
            Assert.Contains("plan.json", names);
            Assert.Contains("plan.mmd", names);
            Assert.Contains("approvals.json", names);
            Assert.Contains("execution.json", names);
            Assert.Contains("verification.json", names);
            Assert.Contains("rollback.json", names);
            Assert.Contains(names, n => n.StartsWith("records/", StringComparison.Ordinal) && n.EndsWith("-audit.json", StringComparison.Ordinal));
            using var manifestReader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
            JsonNode manifest = JsonNode.Parse(await manifestReader.ReadToEndAsync())!;
            Assert.True(manifest["chain_verified"]!.GetValue<bool>());
            string permalink = manifest["permalinks"]![0]!["url"]!.GetValue<string>();
            var (status, record) = await api.SendAsync(HttpMethod.Get, new Uri(permalink).PathAndQuery, ChangeClient.Auditor);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(1, record!["seq"]!.GetValue<int>());

            // A sandbox change says it is simulated: on the record, every step (whose cmd reads as no CLI run) and every evidence record.
            JsonNode change = JsonNode.Parse(await new StreamReader(zip.GetEntry("change.json")!.Open()).ReadToEndAsync())!;
            Assert.True(change["simulated"]!.GetValue<bool>());
            var commands = change["plan"]!["steps"]!.AsArray().ToDictionary(x => x!["id"]!.GetValue<string>(), x => x!["command"]!.GetValue<string>());
            var steps = change["execution"]!["steps"]!.AsArray();
            Assert.NotEmpty(steps);
            Assert.All(steps, step =>
            {
                Assert.True(step!["simulated"]!.GetValue<bool>());
                Assert.Equal(commands[step["step_id"]!.GetValue<string>()], step["would_run"]!.GetValue<string>());
                Assert.Equal("simulated: " + step["would_run"]!.GetValue<string>(), step["cmd"]!.GetValue<string>());
            });
            var records = zip.Entries.Where(e => e.FullName.StartsWith("records/", StringComparison.Ordinal)).ToList();
            Assert.True(records.Count >= 7);
            foreach (ZipArchiveEntry entry in records)
            {
                JsonNode evidence = JsonNode.Parse(await new StreamReader(entry.Open()).ReadToEndAsync())!;
                Assert.True(evidence["simulated"]?.GetValue<bool>() == true, $"{entry.FullName} does not say simulated");
            }

            var (listStatus, list) = await api.SendAsync(HttpMethod.Get, "/api/changes?limit=500", ChangeClient.Auditor);
            Assert.Equal(HttpStatusCode.OK, listStatus);
            Assert.True(list!["changes"]!.AsArray().Single(c => c!["change_id"]!.GetValue<string>() == id)!["simulated"]!.GetValue<bool>());
        }

        // The flag is covered by the chain: saying a simulated record was real breaks it.
        byte[] unsimulated = Rewrite(pack, "records/00000001-plan.json", text =>
        {
            Assert.Contains("\"simulated\":true", text, StringComparison.Ordinal);
            return text.Replace("\"simulated\":true", "\"simulated\":false", StringComparison.Ordinal);
        });
        Assert.Contains(EvidencePack.VerifyOffline(unsimulated, publicKey), p => p.Contains("records/00000001-plan.json", StringComparison.Ordinal));

        byte[] tampered = Rewrite(pack, "records/00000001-plan.json", text => text.Replace("az group create", "az group delete", StringComparison.Ordinal));
        Assert.NotEmpty(EvidencePack.VerifyOffline(tampered, publicKey));
        // One bit flipped inside what a file of the pack stores (a record, a before-image) is found. (A bit of a zip header,
        // such as an entry's timestamp, carries no evidence: the manifest covers contents, not container bytes.)
        Assert.NotEmpty(EvidencePack.VerifyOffline(FlipInside(pack, "records/00000001-plan.json"), publicKey));
        using (var zip = new ZipArchive(new MemoryStream(pack)))
        {
            // Every step's before-image is in the pack, and its sha256 is the one its step record (in the chain) commits to.
            JsonNode change = JsonNode.Parse(await new StreamReader(zip.GetEntry("change.json")!.Open()).ReadToEndAsync())!;
            var images = zip.Entries.Where(e => e.FullName.StartsWith(EvidencePack.BeforeImagesFolder, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(images);
            foreach (JsonNode? step in change["execution"]!["steps"]!.AsArray())
            {
                string path = $"{EvidencePack.BeforeImagesFolder}{step!["step_id"]!.GetValue<string>()}.json";
                using var content = new MemoryStream();
                await zip.GetEntry(path)!.Open().CopyToAsync(content);
                Assert.Equal(step["before_image_sha256"]!.GetValue<string>(), "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.ToArray())));
            }

            Assert.NotEmpty(EvidencePack.VerifyOffline(FlipInside(pack, images[0].FullName), publicKey));
        }
    }

    // Flips one bit in the middle of the bytes a zip stores for an entry (after its local header).
    static byte[] FlipInside(byte[] pack, string entry)
    {
        byte[] copy = (byte[])pack.Clone();
        byte[] name = Encoding.UTF8.GetBytes(entry);
        for (int i = 0; i + 30 < copy.Length; i++)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(i)) != 0x04034b50)
            {
                continue;
            }

            int stored = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(i + 18));
            int nameLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(i + 26));
            int extraLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(i + 28));
            if (stored > 0 && i + 30 + nameLength <= copy.Length && copy.AsSpan(i + 30, nameLength).SequenceEqual(name))
            {
                copy[i + 30 + nameLength + extraLength + (stored / 2)] ^= 0x01;
                return copy;
            }
        }

        throw new InvalidOperationException($"{entry} is not stored in the pack with its size in its local header");
    }

    [Fact]
    public async Task Pack_permalinks_are_on_the_configured_address_whatever_host_the_request_names()
    {
        string id = await CompletedChangeAsync();
        using HttpRequestMessage request = LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/evidence", ChangeClient.Auditor);
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using HttpResponseMessage response = await fixture.Host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        JsonNode manifest = JsonNode.Parse(await reader.ReadToEndAsync())!;
        var links = manifest["permalinks"]!.AsArray().Select(p => p!["url"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(links);
        // The local host's default public address is its own listening address (Upm:PublicBaseUrl unset).
        Assert.All(links, link => Assert.StartsWith($"http://127.0.0.1:{fixture.Host.Port}/api/changes/{id}/evidence/records/", link, StringComparison.Ordinal));
        Assert.DoesNotContain("evil.example", manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_key_lives_in_a_private_file_and_in_no_storage_container()
    {
        string publicKey = await PublicKeyAsync();

        Assert.True(File.Exists(fixture.Host.SigningKeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fixture.Host.SigningKeyFile));
        }

        using (var signer = new EvidenceSigner(await File.ReadAllTextAsync(fixture.Host.SigningKeyFile)))
        {
            Assert.Equal(signer.PublicKeyPem.Trim(), publicKey.Trim());
        }

        var containers = new List<string>();
        await foreach (var container in fixture.Azurite.Clients().Blobs.GetBlobContainersAsync())
        {
            containers.Add(container.Name);
        }

        Assert.Contains("upm-evidence", containers);
        Assert.DoesNotContain(containers, c => c.EndsWith("-keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_whose_key_file_others_can_read_refuses_to_start()
    {
        string folder = Directory.CreateTempSubdirectory("upm-badkey-").FullName;
        try
        {
            string keyFile = Path.Combine(folder, "evidence-signing-key.pem");
            await File.WriteAllTextAsync(keyFile, EvidenceSigner.NewPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            await using var host = new LocalHostProcess(fixture.Azurite.ConnectionString, "badkeyhub") { SigningKeyFile = keyFile };
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.StartAsync);

            Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"The evidence signing key file {keyFile} may be read or written by group or others", host.Log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_unresolved_key_vault_reference_is_never_used_as_a_key_the_host_runs_and_evidence_answers_503()
    {
        string id = await CompletedChangeAsync();
        // A second host on the same storage, whose signing key setting is a reference App Service failed to resolve.
        await using var host = new LocalHostProcess(fixture.Azurite.ConnectionString, "kvrefhub");
        host.ExtraArgs.Add("--Upm:Evidence:SigningKeyPem=@Microsoft.KeyVault(VaultName=kv-test;SecretName=upm-evidence-signing-key)");
        await host.StartAsync();

        using HttpResponseMessage key = await host.Http.GetAsync(new Uri("/api/evidence/public-key", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, key.StatusCode);
        using HttpResponseMessage pack = await host.Http.SendAsync(LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}/evidence", ChangeClient.Auditor));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pack.StatusCode);
        Assert.DoesNotContain("KeyVault", await pack.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The rest of the service runs; the log names the setting to fix; no other key (the data folder's file) stood in.
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
        Assert.Contains("Upm:Evidence:SigningKeyPem is a Key Vault reference App Service could not resolve", host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Evidence packs are signed with key", host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_route_locates_an_edited_a_deleted_and_a_reordered_record()
    {
        string intact = await CompletedChangeAsync();
        JsonNode ok = await VerifyAsync(intact);
        Assert.True(ok["ok"]!.GetValue<bool>());
        Assert.Equal((await api.GetAsync(intact))["evidence"]!["records"]!.GetValue<int>(), ok["records"]!.GetValue<int>());

        string edited = await CompletedChangeAsync();
        List<string> names = await BlobNamesAsync(edited);
        string third = (await Evidence.GetBlobClient(names[2]).DownloadContentAsync()).Value.Content.ToString();
        await Evidence.GetBlobClient(names[2]).UploadAsync(BinaryData.FromString(third.Replace("acme", "acmf", StringComparison.Ordinal)), overwrite: true);
        JsonNode editedResult = await VerifyAsync(edited);
        Assert.False(editedResult["ok"]!.GetValue<bool>());
        Assert.Equal(3, editedResult["first_bad_record"]!.GetValue<int>());

        string deleted = await CompletedChangeAsync();
        await Evidence.GetBlobClient((await BlobNamesAsync(deleted))[3]).DeleteAsync();
        Assert.Equal(4, (await VerifyAsync(deleted))["first_bad_record"]!.GetValue<int>());

        string truncated = await CompletedChangeAsync();
        await Evidence.GetBlobClient((await BlobNamesAsync(truncated))[^1]).DeleteAsync();
        JsonNode truncatedResult = await VerifyAsync(truncated);
        Assert.False(truncatedResult["ok"]!.GetValue<bool>());
        Assert.Equal((await api.GetAsync(truncated))["evidence"]!["records"]!.GetValue<int>(), truncatedResult["first_bad_record"]!.GetValue<int>());

        string swapped = await CompletedChangeAsync();
        List<string> swapNames = await BlobNamesAsync(swapped);
        BinaryData second = (await Evidence.GetBlobClient(swapNames[1]).DownloadContentAsync()).Value.Content;
        BinaryData fifth = (await Evidence.GetBlobClient(swapNames[4]).DownloadContentAsync()).Value.Content;
        await Evidence.GetBlobClient(swapNames[1]).UploadAsync(fifth, overwrite: true);
        await Evidence.GetBlobClient(swapNames[4]).UploadAsync(second, overwrite: true);
        Assert.Equal(2, (await VerifyAsync(swapped))["first_bad_record"]!.GetValue<int>());
    }

    [Fact]
    public async Task Evidence_needs_the_auditor_role_and_stays_in_its_tenant()
    {
        string id = await CompletedChangeAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence", ChangeClient.Submitter)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence/verify", ChangeClient.Approver)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/evidence", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}", ChangeClient.OtherTenant)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{id}/plan", ChangeClient.OtherTenant)).Status);
        var (list, listBody) = await api.SendAsync(HttpMethod.Get, "/api/changes?limit=500", ChangeClient.OtherTenant);
        Assert.Equal(HttpStatusCode.OK, list);
        Assert.DoesNotContain(listBody!["changes"]!.AsArray(), c => c!["change_id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Visibility_limits_who_in_the_tenant_reads_a_change()
    {
        string team = await CompletedChangeAsync("team");
        string org = await CompletedChangeAsync("org");

        // frank is in tenant acme but in neither the owner team's group nor an approver group.
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{team}", ChangeClient.Viewer)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{org}", ChangeClient.Viewer)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/api/changes/{team}", ChangeClient.Approver)).Status);
        var (_, listBody) = await api.SendAsync(HttpMethod.Get, "/api/changes?limit=500", ChangeClient.Viewer);
        var visible = listBody!["changes"]!.AsArray().Select(c => c!["change_id"]!.GetValue<string>()).ToList();
        Assert.Contains(org, visible);
        Assert.DoesNotContain(team, visible);
    }

    [Fact]
    public async Task Kpis_and_scorecard_are_served_to_auditors_from_the_tenants_changes()
    {
        await CompletedChangeAsync();

        var (status, body) = await api.SendAsync(HttpMethod.Get, "/api/kpis?since=2020-01-01T00:00:00Z", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        var kpis = body!["kpis"]!.AsArray();
        Assert.Equal(10, kpis.Count);
        Assert.True(body["changes"]!.GetValue<int>() >= 1);

        // Real-provider and simulated changes are reported apart; the headline KPIs are the real ones only.
        int real = body["real"]!["changes"]!.GetValue<int>(), simulated = body["simulated"]!["changes"]!.GetValue<int>();
        Assert.True(simulated >= 1);
        Assert.Equal(body["changes"]!.GetValue<int>(), real + simulated);
        Assert.Equal(kpis.ToJsonString(), body["real"]!["kpis"]!.ToJsonString());
        Assert.Equal(100, body["simulated"]!["kpis"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "plan_determinism_pct")!["value"]!.GetValue<double>());
        if (real == 0)
        {
            Assert.All(kpis, k => Assert.Equal("no_data", k!["band"]!.GetValue<string>()));
        }

        var (scoreStatus, score) = await api.SendAsync(HttpMethod.Get, "/api/scorecard", ChangeClient.Auditor);
        Assert.Equal(HttpStatusCode.OK, scoreStatus);
        var phases = score!["scorecard"]!["phases"]!.AsArray().Select(p => p!["phase"]!.GetValue<string>()).ToList();
        Assert.Equal(["plan", "preflight", "execute", "verify", "audit"], phases);
        // Levels rest on real-provider changes only: with none (sandbox only), every level is 0 and the basis says no_data.
        Assert.Equal(real, score["real"]!["changes"]!.GetValue<int>());
        Assert.True(score["simulated"]!["changes"]!.GetValue<int>() >= 1);
        Assert.Equal(real > 0 ? "real_changes" : "no_data", score["levels_basis"]!.GetValue<string>());
        if (real == 0)
        {
            Assert.All(score["scorecard"]!["phases"]!.AsArray(), p => Assert.Equal(0, p!["level"]!.GetValue<int>()));
        }

        // Computed, not declared: mTLS to targets is not built, so execute stops at 1 at most, with the reason on the clause.
        JsonNode execute = score["scorecard"]!["phases"]![2]!;
        Assert.True(execute["level"]!.GetValue<int>() <= 1);
        JsonNode mtls = execute["clauses"]!.AsArray().Single(c => c!["level"]!.GetValue<int>() == 2)!;
        Assert.False(mtls["holds"]!.GetValue<bool>());
        Assert.Contains("mTLS to targets: not shipped", mtls["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        JsonNode preflightL4 = score["scorecard"]!["phases"]![1]!["clauses"]!.AsArray().Single(c => c!["level"]!.GetValue<int>() == 4)!;
        Assert.False(preflightL4["holds"]!.GetValue<bool>());
        Assert.Contains("pre-flight SLOs: not shipped", preflightL4["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(score["facts"]!["mutual_tls_to_targets"]!.GetValue<bool>());
        Assert.Contains(score["facts"]!["enabled_providers"]!.AsArray(), p => p!.GetValue<string>() == "sandbox");
        // The sandbox has no rate limit by default (docs/rate-limits.md): the rate-limiting fact is read from that, not declared.
        Assert.False(score["facts"]!["per_provider_rate_limits"]!.GetValue<bool>());
        Assert.Contains(score["facts"]!["rate_limits"]!.AsArray(), p => p!.GetValue<string>() == "sandbox: off");

        // The audit phase's level 3 follows the evidence-completeness band of the tenant's changes.
        string completeness = score["scorecard"]!["kpis"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "evidence_completeness_pct")!["band"]!.GetValue<string>();
        bool auditL3 = score["scorecard"]!["phases"]![4]!["clauses"]!.AsArray().Single(c => c!["level"]!.GetValue<int>() == 3)!["holds"]!.GetValue<bool>();
        Assert.Equal(completeness is "L3" or "L4", auditL3);
        Assert.True(score["scorecard"]!["overall"]!.GetValue<int>() <= (real > 0 ? 1 : 0));

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, "/api/kpis", ChangeClient.Submitter)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Get, "/api/kpis?since=yesterday-ish", ChangeClient.Auditor)).Status);
    }

    static byte[] Rewrite(byte[] pack, string path, Func<string, string> edit)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(pack)))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                string text = reader.ReadToEnd();
                using var writer = new StreamWriter(target.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                writer.Write(entry.FullName == path ? edit(text) : text);
            }
        }

        return output.ToArray();
    }
}
