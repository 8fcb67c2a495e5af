using System.Text.Json;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>The one rule of what rolling back a step does, of conflicts, and of how a before-image is redacted.</summary>
public sealed class RollbackActionsTests
{
    static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    static PlanStep Step(string tier, string? ensure = null) => new()
    {
        Id = "k8s_namespace/ns-a",
        Type = "k8s_namespace",
        Name = "ns-a",
        Wave = 1,
        DependsOn = [],
        Command = "kubectl-1.29 create namespace ns-a",
        ReadBack = "kubectl-1.29 get namespace ns-a -o json",
        HealthCheck = "k8s_namespace_active",
        Rollback = "kubectl-1.29 delete namespace ns-a",
        IdempotencyKey = "k",
        Resource = new ResourceSpec { Type = "k8s_namespace", Name = "ns-a", Ensure = ensure, Properties = new() { ["tier"] = JsonSerializer.SerializeToElement(tier) } },
    };

    static Dictionary<string, string> Fields(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    static BeforeImage Image(bool existed, Dictionary<string, string>? fields = null, string? notRestorable = null) =>
        BeforeImages.Of(Step("gold"), existed, fields, "chg-first", At, notRestorable);

    [Fact]
    public void An_updated_resource_is_restored_with_exactly_the_fields_that_differ_whatever_their_order()
    {
        BeforeImage image = Image(true, Fields(("properties.tier", "bronze"), ("properties.owner", "ops")));

        RollbackDecision decision = RollbackActions.Decide("chg-2", image, Fields(("properties.owner", "ops"), ("properties.tier", "gold"), ("properties.extra", "x")), "chg-first");

        Assert.Equal(RollbackActions.Restore, decision.Action);
        Assert.Equal([new FieldChange("properties.extra", "x", null), new FieldChange("properties.tier", "gold", "bronze")], decision.Changes);
    }

    [Fact]
    public void A_deleted_resource_is_recreated_one_equal_to_its_image_is_kept_and_a_not_restorable_one_is_said_so()
    {
        BeforeImage image = Image(true, Fields(("properties.tier", "bronze")));

        Assert.Equal(RollbackActions.Recreate, RollbackActions.Decide("chg-2", image, null, null).Action);
        Assert.Equal(RollbackActions.Keep, RollbackActions.Decide("chg-2", image, Fields(("properties.tier", "bronze")), "chg-first").Action);
        RollbackDecision refused = RollbackActions.Decide("chg-2", Image(true, Fields(("properties.tier", "bronze")), "tables have no metadata"), null, null);
        Assert.Equal(RollbackActions.NotRestorable, refused.Action);
        Assert.Contains("tables have no metadata", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_image_or_when_nothing_existed_the_change_deletes_only_what_it_created()
    {
        Assert.Equal(RollbackActions.Delete, RollbackActions.Decide("chg-2", Image(false), Fields(("properties.tier", "gold")), "chg-2").Action);
        Assert.Equal(RollbackActions.Keep, RollbackActions.Decide("chg-2", null, Fields(("properties.tier", "gold")), "chg-first").Action);
        Assert.Equal(RollbackActions.NothingToDo, RollbackActions.Decide("chg-2", null, null, null).Action);
    }

    [Fact]
    public void A_resource_changed_since_the_change_is_a_conflict_and_one_already_put_back_is_not()
    {
        PlanStep step = Step("gold");
        BeforeImage image = Image(true, Fields(("properties.tier", "bronze")));

        Assert.Null(RollbackActions.Conflict(step, image, Fields(("properties.tier", "gold"))));
        Assert.Contains("properties.tier", RollbackActions.Conflict(step, image, Fields(("properties.tier", "platinum")))!, StringComparison.Ordinal);
        Assert.Contains("no longer exists", RollbackActions.Conflict(step, image, null)!, StringComparison.Ordinal);
        Assert.Null(RollbackActions.Conflict(step, image, Fields(("properties.tier", "bronze"))));

        PlanStep delete = Step("gold", Ensures.Absent);
        Assert.Null(RollbackActions.Conflict(delete, image, null));
        Assert.Contains("exists again", RollbackActions.Conflict(delete, image, Fields(("properties.tier", "new")))!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_never_enters_an_image_and_a_masked_field_is_never_written_back()
    {
        BeforeImage image = Image(true, Fields(("properties.admin_password", "hunter2-Secret!"), ("properties.conn", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5c2VjcmV0a2V5;EndpointSuffix=core.windows.net"), ("properties.tier", "bronze")));

        Assert.Equal(SecretRedactor.Mask, image.Fields["properties.admin_password"]);
        Assert.Equal(SecretRedactor.Mask, image.Fields["properties.conn"]);
        Assert.Equal("bronze", image.Fields["properties.tier"]);
        Assert.DoesNotContain("hunter2", System.Text.Encoding.UTF8.GetString(BeforeImages.Bytes(image)), StringComparison.Ordinal);

        SortedDictionary<string, string> target = BeforeImages.RestoreTarget(image, Fields(("properties.admin_password", "now-value"), ("properties.tier", "gold")));
        Assert.Equal("now-value", target["properties.admin_password"]);
        Assert.False(target.ContainsKey("properties.conn"));
        Assert.Equal("bronze", target["properties.tier"]);
    }
}
