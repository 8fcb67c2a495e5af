using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UpmDurable.Testing;
using Xunit;
using Xunit.Abstractions;

namespace UpmDurable.Dashboard.Tests;

/// <summary>The dashboard in real headless Chromium against the local host: a change submitted through the API is approved in the page.</summary>
[Collection("dashboard")]
public sealed class BrowserFlowTests(DashboardFixture fixture, ITestOutputHelper output)
{
    /// <summary>Where the screenshots go (./test.sh's results folder).</summary>
    public static string ArtifactFolder => Path.Combine(RepoPaths.Root, ".artifacts", "test-results", "dashboard");

    // Headless, and nothing may leave the machine: no background services, and every non-loopback name unresolvable.
    static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-breakpad",
        "--no-first-run",
        "--no-default-browser-check",
        "--no-pings",
        "--metrics-recording-only",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
    ];

    readonly LocalHostProcess host = fixture.Host;

    /// <summary>A change that needs one approver from platform-owners (risk 45: not in the auto-approval lane).</summary>
    public static JsonObject SampleChange(string suffix) => new()
    {
        ["request"] = $"Create AKS cluster aks-{suffix} in eastus and namespace ns-{suffix}",
        ["tenant"] = "acme",
        ["target"] = new JsonObject
        {
            ["provider"] = "sandbox",
            ["resources"] = new JsonArray(
                new JsonObject { ["type"] = "az_resource_group", ["name"] = $"rg-{suffix}", ["location"] = "eastus" },
                new JsonObject { ["type"] = "az_aks", ["name"] = $"aks-{suffix}", ["resource_group"] = $"rg-{suffix}", ["properties"] = new JsonObject { ["node_count"] = 2 } },
                new JsonObject { ["type"] = "k8s_namespace", ["name"] = $"ns-{suffix}", ["cluster"] = $"aks-{suffix}" }),
        },
        ["approvals"] = new JsonObject { ["groups"] = new JsonArray("platform-owners"), ["required"] = 1, ["timeout"] = "P3D" },
    };

    [ChromiumFact]
    public async Task Change_submitted_through_the_api_is_approved_in_the_page_and_the_timeline_shows_five_phases()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Directory.CreateDirectory(ArtifactFolder);

        string suffix = Guid.NewGuid().ToString("N")[..10];
        using HttpRequestMessage submit = LocalHostProcess.Request(HttpMethod.Post, "/api/changes", "demo-submitter-key", SampleChange(suffix).ToJsonString());
        using HttpResponseMessage submitted = await host.Http.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        string id = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["change_id"]!.GetValue<string>();

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ChromiumArgs,
        });
        await using IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(90_000);

        // Every request the page makes must go to the host; anything else is refused and reported.
        var outside = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host == "127.0.0.1" && url.Port == host.Port)
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (outside)
                {
                    outside.Add(route.Request.Url);
                }

                await route.AbortAsync();
            }
        });

        IPage page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            // 403/404 answers the page handles itself (drift not monitored, verify without the auditor role) are logged by Chromium as failed loads.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (consoleErrors)
            {
                consoleErrors.Add(error);
            }
        };

        await page.GotoAsync($"http://127.0.0.1:{host.Port}/");
        await page.FillAsync("#api-key", "demo-approver-key");
        await page.ClickAsync("#key-form button[type=submit]");
        Assert.Equal("demo-approver-key", await page.EvaluateAsync<string>("() => sessionStorage.getItem('upm-api-key')"));

        // The change submitted through the API appears in the list, and opens.
        ILocator row = page.Locator($"tr[data-change-id='{id}']");
        await row.WaitForAsync();
        // A sandbox change says it is simulated, in the list and on its page.
        Assert.Equal("simulated", await row.Locator("[data-simulated='true']").TextContentAsync());
        Assert.True(await row.Locator("[data-simulated='true']").IsVisibleAsync());
        await row.Locator("a").ClickAsync();
        await page.Locator("#change-status [data-status='awaiting_approval']").WaitForAsync();
        Assert.True(await page.Locator("h2 [data-simulated='true']").IsVisibleAsync());

        ILocator phases = page.Locator("#timeline li");
        Assert.Equal(["plan", "preflight", "execute", "verify", "audit"], await phases.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.phase)"));
        Assert.Equal("waiting", await page.Locator("#timeline li[data-phase='preflight']").GetAttributeAsync("data-state"));
        Assert.Equal(3, await page.Locator("#plan-graph g[data-step]").CountAsync());
        // The plan diff shown at approval time: three creations with their fields, Terraform's count line.
        Assert.Equal(3, await page.Locator("#plan-diff > li[data-action='create']").CountAsync());
        Assert.Equal("Plan: 3 to add, 0 to change, 0 to destroy.", await page.Locator("#plan-summary").TextContentAsync());
        await page.Locator("#drift-status [data-status='not_monitored']").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactFolder, "change-awaiting-approval.png"), FullPage = true });

        // Approving in the page moves the change on, to the end.
        await page.FillAsync("#approval-comment", "approved in the dashboard test");
        await page.ClickAsync("#approve-button");
        await page.Locator("#approval-message", new PageLocatorOptions { HasTextString = "approve accepted" }).WaitForAsync();
        await page.Locator("#change-status [data-status='completed']").WaitForAsync();
        Assert.Equal(["done", "done", "done", "done", "done"], await phases.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.state)"));
        Assert.Equal(3, await page.Locator("#waves-panel progress").EvaluateAllAsync<int>("bars => bars.reduce((n, b) => n + b.value, 0)"));

        // Evidence needs the auditor role: refused for bob, verified for dave.
        await page.ClickAsync("#evidence-verify");
        await page.Locator("#evidence-message", new PageLocatorOptions { HasTextString = "403" }).WaitForAsync();
        await page.ClickAsync("#forget-key");
        await page.FillAsync("#api-key", "demo-auditor-key");
        await page.ClickAsync("#key-form button[type=submit]");
        await page.ClickAsync("#evidence-verify");
        await page.Locator("#evidence-message", new PageLocatorOptions { HasTextString = "chain verified" }).WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactFolder, "change-completed.png"), FullPage = true });
        output.WriteLine($"screenshots: {ArtifactFolder}");

        // The decision the page sent is the one that counted, bound to the plan hash, through the API channel.
        using HttpRequestMessage read = LocalHostProcess.Request(HttpMethod.Get, $"/api/changes/{id}", "demo-submitter-key");
        using HttpResponseMessage answer = await host.Http.SendAsync(read);
        JsonNode record = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal("completed", record["status"]!.GetValue<string>());
        JsonNode decision = record["approvals"]!["decisions"]![0]!;
        Assert.Equal(("bob", "api", "approved in the dashboard test"), (decision["approver"]!.GetValue<string>(), decision["channel"]!.GetValue<string>(), decision["comment"]!.GetValue<string>()));
        Assert.Equal(record["plan"]!["plan_hash"]!.GetValue<string>(), decision["plan_hash"]!.GetValue<string>());

        Assert.Empty(outside);
        Assert.Empty(consoleErrors);
        Assert.True(File.Exists(Path.Combine(ArtifactFolder, "change-completed.png")));
    }

    [ChromiumFact]
    public async Task Page_without_a_key_asks_for_one_and_a_wrong_key_shows_the_problem()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumFactAttribute.ExecutablePath, Headless = true, Args = ChromiumArgs });
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync($"http://127.0.0.1:{host.Port}/");
        await page.Locator("#list-message", new PageLocatorOptions { HasTextString = "Enter an API key" }).WaitForAsync();
        await page.FillAsync("#api-key", "not-a-key");
        await page.ClickAsync("#key-form button[type=submit]");
        await page.Locator("#list-message", new PageLocatorOptions { HasTextString = "401" }).WaitForAsync();
        Assert.DoesNotContain("not-a-key", await page.ContentAsync(), StringComparison.Ordinal);
    }
}
