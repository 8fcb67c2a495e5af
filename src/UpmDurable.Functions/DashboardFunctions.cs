using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpmDurable.Api;

namespace UpmDurable.Functions;

/// <summary>
/// The dashboard and the API description. host.json's routePrefix is empty (every API route names its "api/" itself) so
/// the page can answer at "/"; the app setting AzureWebJobsDisableHomepage=true keeps the host's landing page out of the way.
/// </summary>
public sealed class DashboardFunctions(ChangeOperations operations)
{
    [Function("Dashboard")]
    public IActionResult Index([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "/")] HttpRequest request) =>
        DashboardPage.Index();

    [Function("DashboardAsset")]
    public IActionResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{file}")] HttpRequest request, string file) =>
        DashboardPage.Asset(file);

    [Function("OpenApiDocument")]
    public IActionResult OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        OpenApiDocument.Result(operations.EnabledProviders);
}
