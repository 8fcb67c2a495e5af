using System.Text.Json;
using UpmDurable.Core.Model;
using UpmDurable.Providers;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Storage;
using UpmDurable.Testing;
using UpmDurable.Workflows.Activities;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// The apply activity reads a step's resource once: the read its before-image keeps is the read the provider's apply
/// starts from (the sandbox on real Azurite, watched by a provider that counts what it is asked).
/// </summary>
public sealed class ApplyReadOnceTests(AzuriteFixture storage) : IClassFixture<AzuriteFixture>
{
    readonly StorageClients clients = Clients(storage);

    static StorageClients Clients(AzuriteFixture storage)
    {
        StorageClients clients = storage.Azurite.Clients();
        clients.EnsureCreatedAsync().GetAwaiter().GetResult();
        return clients;
    }

    static StepRequest Step(string changeId, string name, string tier) => new()
    {
        Tenant = "acme",
        ChangeId = changeId,
        Step = TestSteps.Namespace(name, new ResourceSpec { Type = "k8s_namespace", Name = name, Properties = new() { ["tier"] = JsonSerializer.SerializeToElement(tier) } }),
    };

    [Fact]
    public async Task The_apply_starts_from_the_read_its_before_image_was_made_from_and_reads_nothing_more()
    {
        var watched = new WatchedProvider(new SandboxProvider(clients, new SandboxOptions()));
        var images = new BeforeImageStore(clients);
        var apply = new ApplyStep(new ProviderRegistry([watched]), new BeforeImageCapture(images, TimeProvider.System));
        string name = "ns-" + Guid.NewGuid().ToString("N")[..12];
        await apply.RunAsync(null!, Step("chg-first", name, "bronze"));
        watched.Forget();

        StepRecord updated = await apply.RunAsync(null!, Step("chg-second", name, "gold"));

        Assert.Equal("updated", updated.Outcome);
        Assert.Equal(["read-for-apply", "apply-with-read"], watched.Calls);
        StepRead read = Assert.Single(watched.Reads);
        Assert.Same(read, Assert.Single(watched.AppliedWith));
        StoredBeforeImage image = (await images.GetAsync("acme", "chg-second", $"k8s_namespace/{name}"))!;
        Assert.Equal("bronze", read.State!.Fields["properties.tier"]);
        Assert.Equal(read.State.Fields["properties.tier"], image.Image.Fields["properties.tier"]);
        Assert.Equal(image.Sha256, updated.BeforeImageSha256);
    }

    /// <summary>The sandbox, with a log of the calls the activity makes.</summary>
    sealed class WatchedProvider(IChangeProvider inner) : IChangeProvider
    {
        public List<string> Calls { get; } = [];

        public List<StepRead> Reads { get; } = [];

        public List<StepRead> AppliedWith { get; } = [];

        public string Name => inner.Name;

        public void Forget()
        {
            Calls.Clear();
            Reads.Clear();
            AppliedWith.Clear();
        }

        public Task<ResourceState?> ReadAsync(string tenant, string type, string name, CancellationToken cancellationToken)
        {
            Calls.Add("read");
            return inner.ReadAsync(tenant, type, name, cancellationToken);
        }

        public async Task<StepRead> ReadForApplyAsync(StepRequest request, CancellationToken cancellationToken)
        {
            Calls.Add("read-for-apply");
            StepRead read = StepRead.Of(await inner.ReadAsync(request.Tenant, request.Step.Resource, cancellationToken));
            Reads.Add(read);
            return read;
        }

        public Task<int> QuotaAvailableAsync(string tenant, string quota, string location, CancellationToken cancellationToken) =>
            inner.QuotaAvailableAsync(tenant, quota, location, cancellationToken);

        public Task<StepRecord> ApplyAsync(StepRequest request, CancellationToken cancellationToken)
        {
            Calls.Add("apply");
            return inner.ApplyAsync(request, cancellationToken);
        }

        public Task<StepRecord> ApplyAsync(StepRequest request, StepRead read, CancellationToken cancellationToken)
        {
            Calls.Add("apply-with-read");
            AppliedWith.Add(read);
            return inner.ApplyAsync(request, cancellationToken);
        }

        public Task<StepRecord> CompensateAsync(StepRequest request, CancellationToken cancellationToken) => inner.CompensateAsync(request, cancellationToken);

        public string? NotRestorable(PlanStep step, ResourceState? current) => inner.NotRestorable(step, current);
    }
}
