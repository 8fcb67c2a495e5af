using System.Text.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers.Sandbox;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Providers.Tests;

public sealed class SandboxProviderTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    readonly SandboxProvider sandbox = new(fixture.Azurite.Clients(), new SandboxOptions());

    static StepRequest Step(string changeId, string name, params FaultSpec[] faults) => new()
    {
        Tenant = "acme",
        ChangeId = changeId,
        Faults = [.. faults],
        Step = TestSteps.Namespace(name, new ResourceSpec { Type = "k8s_namespace", Name = name, Properties = new() { ["label"] = JsonSerializer.SerializeToElement("x") } }),
    };

    static string Name() => "ns-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Applying_the_same_step_twice_applies_it_once()
    {
        StepRequest request = Step("chg-a", Name());
        StepRecord first = await sandbox.ApplyAsync(request, default);
        StepRecord again = await sandbox.ApplyAsync(request, default);

        Assert.Equal("created", first.Outcome);
        Assert.Equal("unchanged", again.Outcome);
        ResourceState? state = await sandbox.ReadAsync("acme", "k8s_namespace", request.Step.Name, default);
        Assert.Equal(1, state!.ApplyCount);
        Assert.Equal("x", state.Fields["properties.label"]);
    }

    [Fact]
    public async Task Compensation_removes_what_the_change_created_and_keeps_what_existed_before()
    {
        string name = Name();
        await sandbox.ApplyAsync(Step("chg-owner", name), default);
        StepRecord byOther = await sandbox.CompensateAsync(Step("chg-other", name), default);
        Assert.Equal("kept", byOther.Outcome);
        Assert.NotNull(await sandbox.ReadAsync("acme", "k8s_namespace", name, default));

        StepRecord byOwner = await sandbox.CompensateAsync(Step("chg-owner", name), default);
        StepRecord twice = await sandbox.CompensateAsync(Step("chg-owner", name), default);
        Assert.Equal("deleted", byOwner.Outcome);
        Assert.Equal("absent", twice.Outcome);
        Assert.Null(await sandbox.ReadAsync("acme", "k8s_namespace", name, default));
    }

    [Fact]
    public async Task Injected_faults_fail_the_apply_or_make_the_resource_unhealthy()
    {
        string failing = Name();
        var ex = await Assert.ThrowsAsync<StepFailedException>(() => sandbox.ApplyAsync(Step("chg-f", failing, new FaultSpec { Resource = failing, On = "apply" }), default));
        Assert.Equal(1, ex.Rc);
        Assert.Null(await sandbox.ReadAsync("acme", "k8s_namespace", failing, default));

        string sick = Name();
        await sandbox.ApplyAsync(Step("chg-f", sick, new FaultSpec { Resource = sick, On = "verify" }), default);
        Assert.Equal("unhealthy", (await sandbox.ReadAsync("acme", "k8s_namespace", sick, default))!.Health);
    }

    [Fact]
    public async Task An_apply_from_a_read_another_writer_overtook_fails_to_be_retried_and_writes_nothing()
    {
        string name = Name();
        StepRead before = await sandbox.ReadForApplyAsync(Step("chg-late", name), default);
        Assert.Null(before.State);

        // Another change creates the resource between the read and the apply: the add from "absent" conflicts.
        await sandbox.ApplyAsync(Step("chg-early", name), default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.ApplyAsync(Step("chg-late", name), before, default));

        // And an update from a row read before another write fails on its ETag.
        StepRead stale = await sandbox.ReadForApplyAsync(Step("chg-late", name), default);
        StepRequest other = Step("chg-other", name) with { Step = TestSteps.Namespace(name, new ResourceSpec { Type = "k8s_namespace", Name = name, Properties = new() { ["label"] = JsonSerializer.SerializeToElement("y") } }) };
        await sandbox.ApplyAsync(other, default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.ApplyAsync(Step("chg-late", name), stale, default));

        ResourceState state = (await sandbox.ReadAsync("acme", "k8s_namespace", name, default))!;
        Assert.Equal("chg-early", state.CreatedBy);
        Assert.Equal("y", state.Fields["properties.label"]);
        Assert.Equal(2, state.ApplyCount);

        // A fresh read applies.
        StepRead fresh = await sandbox.ReadForApplyAsync(Step("chg-late", name), default);
        Assert.Equal("updated", (await sandbox.ApplyAsync(Step("chg-late", name), fresh, default)).Outcome);
        Assert.Equal("x", (await sandbox.ReadAsync("acme", "k8s_namespace", name, default))!.Fields["properties.label"]);
    }
}
