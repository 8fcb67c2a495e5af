using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OpenTelemetry.Metrics;
using UpmDurable.Workflows.Telemetry;
using Xunit;

namespace UpmDurable.Telemetry.Tests;

/// <summary>Spans and metrics a change produces, read from the in-memory exporters of a real local host over Azurite.</summary>
public sealed class ChangeTelemetryTests(InProcessHost host) : IClassFixture<InProcessHost>
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    // In the request text and an approval comment, standing in for request bodies: neither may reach telemetry.
    const string BodyMarker = "body-marker-3e8f1d";

    [Fact]
    public async Task An_approved_change_produces_activity_phase_and_change_spans_and_metrics_without_secrets()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        string id = await SubmitAsync(Change(s, approvals: 1));
        JsonNode record = await WaitForAsync(id, "awaiting_approval");
        string planHash = record["approvals"]!["plan_hash"]!.GetValue<string>();
        using (HttpResponseMessage approved = await host.Http.SendAsync(host.Request(HttpMethod.Post, $"/api/changes/{id}/approvals", InProcessHost.ApproverKey,
            new JsonObject { ["decision"] = "approve", ["plan_hash"] = planHash, ["comment"] = BodyMarker }.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        }

        await WaitForAsync(id, "completed");
        List<Activity> spans = await SpansOfAsync(id, "upm.change");

        // One span per activity, with the change's identifiers.
        foreach (string name in new[] { "upm.preflight", "upm.notify_approvers", "upm.verify", "upm.record_progress" })
        {
            Assert.Contains(spans, a => a.OperationName == name);
        }

        // The plan compiled at submit travels with the change (orchestration path 1.2): no compile activity runs.
        Assert.DoesNotContain(spans, a => a.OperationName == "upm.compile_plan");

        var applied = spans.Where(a => a.OperationName == "upm.apply_step").ToList();
        Assert.Equal(
            [$"az_aks/aks-{s}", $"az_resource_group/rg-{s}", $"k8s_namespace/ns-{s}"],
            applied.Select(a => a.GetTagItem(UpmTelemetry.Attributes.StepId) as string).Order(StringComparer.Ordinal));
        Assert.All(applied, a =>
        {
            Assert.Equal("sandbox", a.GetTagItem(UpmTelemetry.Attributes.Provider));
            Assert.Equal("acme", a.GetTagItem(UpmTelemetry.Attributes.Tenant));
            Assert.Equal("created", a.GetTagItem(UpmTelemetry.Attributes.Outcome));
            Assert.Equal("execute", a.GetTagItem(UpmTelemetry.Attributes.Phase));
        });
        Assert.Equal("ok", spans.Single(a => a.OperationName == "upm.verify").GetTagItem(UpmTelemetry.Attributes.Outcome));

        // Evidence writes carry the checkpoint kind; the final one is 'audit'.
        var kinds = spans.Where(a => a.OperationName == "upm.record_progress").Select(a => a.GetTagItem(UpmTelemetry.Attributes.Kind) as string).ToList();
        Assert.Contains("plan", kinds);
        Assert.Contains("approval_requested", kinds);
        Assert.Contains("audit", kinds);
        Assert.Contains(spans.Where(a => a.OperationName == "upm.record_progress").SelectMany(a => a.Events), e => e.Name == "upm.checkpoint");

        // The change span holds one child span per phase, in order, each ending where the next begins.
        Activity change = spans.Single(a => a.OperationName == "upm.change");
        Assert.Equal("completed", change.GetTagItem(UpmTelemetry.Attributes.Outcome));
        var phases = spans.Where(a => a.ParentSpanId == change.SpanId).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(["upm.phase.plan", "upm.phase.preflight", "upm.phase.execute", "upm.phase.verify", "upm.phase.audit"], phases.Select(p => p.OperationName));
        for (int i = 0; i + 1 < phases.Count; i++)
        {
            Assert.Equal(phases[i].StartTimeUtc + phases[i].Duration, phases[i + 1].StartTimeUtc);
        }

        Assert.All(phases, p => Assert.Equal(change.TraceId, p.TraceId));

        host.Flush();
        var metrics = host.Metrics.ToArray();
        Assert.Contains(Points(metrics, "upm.changes.submitted"), p => Tag(p, UpmTelemetry.Attributes.Tenant) == "acme");
        Assert.Contains(Points(metrics, "upm.changes.finished"), p => Tag(p, UpmTelemetry.Attributes.Status) == "completed");
        Assert.Contains(Points(metrics, "upm.change.duration"), p => Tag(p, UpmTelemetry.Attributes.Status) == "completed");
        foreach (string phase in new[] { "plan", "preflight", "execute", "verify", "audit" })
        {
            Assert.Contains(Points(metrics, "upm.phase.duration"), p => Tag(p, UpmTelemetry.Attributes.Phase) == phase);
        }

        Assert.Contains(Points(metrics, "upm.step.duration"), p => Tag(p, UpmTelemetry.Attributes.Action) == "apply" && Tag(p, UpmTelemetry.Attributes.Outcome) == "created");
        Assert.Contains(Points(metrics, "upm.approval.wait"), p => Tag(p, UpmTelemetry.Attributes.Outcome) == "approved");

        AssertNoSecrets(host.Spans.ToArray(), metrics);
    }

    [Fact]
    public async Task A_failing_step_is_counted_and_its_compensations_are_traced()
    {
        string s = Guid.NewGuid().ToString("N")[..8];
        JsonObject change = Change(s, approvals: 1);
        change["target"]!["faults"] = new JsonArray(new JsonObject { ["resource"] = $"ns-{s}", ["on"] = "apply" });
        string id = await SubmitAsync(change);
        JsonNode waiting = await WaitForAsync(id, "awaiting_approval");
        using (HttpResponseMessage approved = await host.Http.SendAsync(host.Request(HttpMethod.Post, $"/api/changes/{id}/approvals", InProcessHost.ApproverKey,
            new JsonObject { ["decision"] = "approve", ["plan_hash"] = waiting["approvals"]!["plan_hash"]!.GetValue<string>() }.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        }

        await WaitForAsync(id, "rolled_back");
        List<Activity> spans = await SpansOfAsync(id, "upm.change");

        var failed = spans.Where(a => a.OperationName == "upm.apply_step" && (string?)a.GetTagItem(UpmTelemetry.Attributes.StepId) == $"k8s_namespace/ns-{s}").ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a => Assert.Equal(ActivityStatusCode.Error, a.Status));
        var compensated = spans.Where(a => a.OperationName == "upm.compensate_step").Select(a => a.GetTagItem(UpmTelemetry.Attributes.StepId) as string).ToList();
        Assert.Contains($"az_aks/aks-{s}", compensated);
        Assert.Contains($"az_resource_group/rg-{s}", compensated);
        Activity root = spans.Single(a => a.OperationName == "upm.change");
        Assert.Equal("rolled_back", root.GetTagItem(UpmTelemetry.Attributes.Outcome));
        Assert.Equal(ActivityStatusCode.Error, root.Status);

        host.Flush();
        var metrics = host.Metrics.ToArray();
        Assert.Contains(Points(metrics, "upm.step.failures"), p => Tag(p, UpmTelemetry.Attributes.Action) == "apply" && Tag(p, UpmTelemetry.Attributes.Provider) == "sandbox");
        Assert.Contains(Points(metrics, "upm.changes.finished"), p => Tag(p, UpmTelemetry.Attributes.Status) == "rolled_back");
        Assert.Contains(Points(metrics, "upm.step.duration"), p => Tag(p, UpmTelemetry.Attributes.Action) == "compensate");
        AssertNoSecrets(host.Spans.ToArray(), metrics);
    }

    void AssertNoSecrets(Activity[] spans, MetricSnapshot[] metrics)
    {
        var values = new List<(string Where, string Value)>();
        foreach (Activity span in spans)
        {
            values.Add(($"{span.OperationName} name", span.DisplayName));
            values.Add(($"{span.OperationName} status", span.StatusDescription ?? string.Empty));
            values.AddRange(span.TagObjects.Select(t => ($"{span.OperationName} {t.Key}", t.Value?.ToString() ?? string.Empty)));
            values.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => ($"{span.OperationName} event {e.Name} {t.Key}", t.Value?.ToString() ?? string.Empty))));
        }

        foreach (MetricSnapshot metric in metrics)
        {
            foreach (MetricPoint point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    values.Add(($"{metric.Name} {tag.Key}", tag.Value?.ToString() ?? string.Empty));
                }
            }
        }

        Assert.NotEmpty(values);
        foreach (string secret in host.Secrets.Append(BodyMarker))
        {
            var leaks = values.Where(v => v.Value.Contains(secret, StringComparison.Ordinal)).Select(v => v.Where).ToList();
            Assert.True(leaks.Count == 0, $"a secret or body value reached telemetry: {string.Join(", ", leaks)}");
        }
    }

    static IEnumerable<MetricPoint> Points(IEnumerable<MetricSnapshot> metrics, string name)
    {
        var found = metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).ToList();
        Assert.True(found.Count > 0, $"no {name} metric was exported");
        return found;
    }

    static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    static JsonObject Change(string s, int approvals) => new()
    {
        ["request"] = $"Create AKS cluster aks-{s} in eastus and namespace ns-{s} {BodyMarker}",
        ["tenant"] = "acme",
        ["target"] = new JsonObject
        {
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{s}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "az_aks", ["name"] = $"aks-{s}", ["resource_group"] = $"rg-{s}", ["properties"] = new JsonObject { ["node_count"] = 2 } },
                new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{s}", ["cluster"] = $"aks-{s}" }),
        },
        ["approvals"] = new JsonObject { ["groups"] = new JsonArray("platform-owners"), ["required"] = approvals },
    };

    async Task<string> SubmitAsync(JsonObject change)
    {
        using HttpResponseMessage response = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/api/changes", InProcessHost.SubmitterKey, change.ToJsonString()));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["change_id"]!.GetValue<string>();
    }

    async Task<JsonNode> WaitForAsync(string id, string status)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            using HttpResponseMessage response = await host.Http.SendAsync(host.Request(HttpMethod.Get, $"/api/changes/{id}", InProcessHost.SubmitterKey));
            JsonNode record = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (record["status"]?.GetValue<string>() == status)
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"change {id} did not reach {status}: {record["status"]}");
            await Task.Delay(100);
        }
    }

    // The record is saved before the span that saved it ends: wait until the awaited span has been exported.
    async Task<List<Activity>> SpansOfAsync(string id, string awaited)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            host.Flush();
            var spans = host.Spans.ToArray().Where(a => (a.GetTagItem(UpmTelemetry.Attributes.ChangeId) as string) == id).ToList();
            if (spans.Any(a => a.OperationName == awaited) && spans.Any(a => a.OperationName == "upm.record_progress" && (string?)a.GetTagItem(UpmTelemetry.Attributes.Kind) == "audit"))
            {
                return spans;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {awaited} span for change {id}");
            await Task.Delay(100);
        }
    }
}
