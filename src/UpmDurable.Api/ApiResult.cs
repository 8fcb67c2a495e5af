using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using UpmDurable.Core.Json;
using UpmDurable.Core.Validation;

namespace UpmDurable.Api;

/// <summary>A host-neutral HTTP answer: the local host returns it as <see cref="IResult"/>, the Functions app as <see cref="IActionResult"/>.</summary>
public sealed class ApiResult(int status, object? body, string contentType = "application/json") : IResult, IActionResult
{
    readonly Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);

    public int Status { get; } = status;

    public object? Body { get; } = body;

    public string ContentType { get; } = contentType;

    public IReadOnlyDictionary<string, string> Headers => headers;

    public ApiResult WithHeader(string name, string value)
    {
        headers[name] = value;
        return this;
    }

    public static ApiResult Json(int status, object body) => new(status, body);

    public static ApiResult Text(int status, string body, string contentType) => new(status, body, contentType);

    public static ApiResult Bytes(int status, byte[] body, string contentType) => new(status, body, contentType);

    /// <summary>An RFC 7807 problem document, with <c>errors</c> naming each bad field when there are any.</summary>
    public static ApiResult Problem(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(status, new ProblemBody($"https://upmdurable.dev/problems/{status}", title, status, detail, errors), "application/problem+json");

    public static ApiResult Invalid(ValidationErrors errors) =>
        Problem(400, "The request is invalid.", errors.ToString(), errors.ToDictionary());

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        HttpResponse response = httpContext.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        if (Body is null)
        {
            return;
        }

        response.ContentType = ContentType;
        if (Body is byte[] bytes)
        {
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
        else if (Body is string text)
        {
            await response.WriteAsync(text, httpContext.RequestAborted);
        }
        else
        {
            await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), UpmJson.Options, httpContext.RequestAborted);
        }
    }

    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    /// <summary>RFC 7807 body.</summary>
    public sealed record ProblemBody(string Type, string Title, int Status, string Detail, IReadOnlyDictionary<string, string[]>? Errors);
}
