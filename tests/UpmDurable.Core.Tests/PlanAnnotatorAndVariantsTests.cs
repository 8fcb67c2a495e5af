using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class PlanAnnotatorAndVariantsTests
{
    [Fact]
    public void Sample_change_is_high_risk_with_the_documented_parts()
    {
        var (_, plan, a) = TestChanges.Compile(TestChanges.Sample);

        // kinds min(40, 10 + 30 + 5), blast 3 steps + 2 x 2 extra waves, prod endpoint 20, nothing destructive.
        Assert.Equal(new RiskFactors(40, 7, 20, 0, 0), a.RiskFactors);
        Assert.Equal(67, a.RiskScore);
        Assert.Equal("high", a.RiskLevel);
        Assert.Equal("user-123", a.Initiator);
        Assert.Equal("default", a.ChangeWindow);
        Assert.Equal(146m, a.MonthlyCostUsd);
        Assert.Equal(new CostLine("az_aks", 1, 146m, 146m), a.Cost.Single(c => c.Type == "az_aks"));
        Assert.Contains("~10 min", a.ImpactNotes.Single(n => n.Type == "az_aks").Note, StringComparison.Ordinal);
        Assert.Equal(plan.PlanHash, PlanCompiler.Compile(TestChanges.Spec(TestChanges.Sample)).PlanHash);
    }

    [Fact]
    public void Small_change_is_low_risk_and_destructive_steps_raise_it()
    {
        var (spec, plan, a) = TestChanges.Compile(TestChanges.Namespaces(2));
        Assert.Equal(7, a.RiskScore); // kinds 5 + blast 2
        Assert.Equal("low", a.RiskLevel);

        Plan destructive = plan with { Steps = plan.Steps.Select(s => s with { Command = s.Rollback }).ToList() };
        PlanAnnotation d = PlanAnnotator.Annotate(spec, destructive, "u", DateTimeOffset.UnixEpoch);
        Assert.Equal(new RiskFactors(5, 2, 0, 10, 2), d.RiskFactors);
        Assert.Equal(17, d.RiskScore);
    }

    [Fact]
    public void Canary_puts_one_step_of_the_largest_wave_first()
    {
        var (_, plan, _) = TestChanges.Compile(TestChanges.Namespaces(3));

        PlanVariant canary = PlanVariants.Canary(plan);

        Assert.Equal([["k8s_namespace/ns0"], ["k8s_namespace/ns1", "k8s_namespace/ns2"]], canary.Waves);
        Assert.Equal(plan.Steps.Select(s => s.Id).Order(), canary.Waves.SelectMany(w => w).Order());
    }

    [Fact]
    public void A_plan_of_single_step_waves_is_its_own_canary()
    {
        var (_, plan, _) = TestChanges.Compile(TestChanges.Sample);

        Assert.Equal(plan.Waves, PlanVariants.Canary(plan).Waves);
    }

    [Fact]
    public void Blue_green_applies_a_green_copy_then_switches_and_retires_blue()
    {
        var (spec, plan, _) = TestChanges.Compile(TestChanges.Namespaces(2, ", \"variants\": [\"canary\", \"blue_green\", \"canary\"]"));

        Assert.Equal(["blue_green", "canary"], spec.Variants);
        List<PlanVariant> variants = PlanVariants.For(plan, spec.Variants);
        PlanVariant bg = variants[0];
        Assert.Equal([["k8s_namespace/ns0@green", "k8s_namespace/ns1@green"], [PlanVariants.SwitchStep], [PlanVariants.RetireStep]], bg.Waves);
        Assert.Equal("canary", variants[1].Name);
    }

    [Fact]
    public void Window_and_variant_fields_are_validated_with_defaults()
    {
        var spec = TestChanges.Spec(TestChanges.Namespaces(1));
        Assert.True(spec.WindowWait);
        Assert.Null(spec.WindowCalendar);
        Assert.Empty(spec.Variants);

        var waiting = TestChanges.Spec(TestChanges.Namespaces(1, ", \"window\": {\"calendar\": \"prod-weekly\", \"wait\": false}"));
        Assert.False(waiting.WindowWait);
        Assert.Equal("prod-weekly", waiting.WindowCalendar);
        Assert.Equal("prod-weekly", TestChanges.Compile(waiting).Annotation.ChangeWindow);

        var ex = Assert.Throws<UpmDurable.Core.Validation.ChangeValidationException>(() =>
            TestChanges.Spec(TestChanges.Namespaces(1, ", \"window\": {\"calendar\": \"no way\"}, \"variants\": [\"rainbow\"]")));
        Assert.Contains("window.calendar", ex.Errors.ToDictionary().Keys);
        Assert.Contains("variants[0]", ex.Errors.ToDictionary().Keys);
    }
}
