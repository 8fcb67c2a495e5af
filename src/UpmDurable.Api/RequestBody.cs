using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UpmDurable.Core.Json;

namespace UpmDurable.Api;

/// <summary>Reads request bodies within the one size limit: raw bytes (webhooks check signatures over them) or strict JSON.</summary>
public static class RequestBody
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body as sent, read up to one chunk past <see cref="MaxBytes"/> (a longer body is then refused by its length).</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The body as a <typeparamref name="T"/>, or the problem naming what is wrong with it (413, or 400 naming the field).</summary>
    public static async Task<(T? Body, ApiResult? Problem)> ReadJsonAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        byte[] bytes = await ReadBytesAsync(request);
        if (bytes.Length > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (bytes.Length == 0)
        {
            return (null, ApiResult.Problem(400, "The request is invalid.", "A JSON body is required.", new Dictionary<string, string[]> { ["$"] = ["A JSON object is required."] }));
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, ApiResult.Problem(400, "The request is not valid JSON for this route.", "The body is not valid UTF-8.", new Dictionary<string, string[]> { ["$"] = ["UTF-8 encoded JSON."] }));
        }

        try
        {
            T? body = JsonSerializer.Deserialize<T>(bytes, UpmJson.StrictRequest);
            return body is null
                ? (null, ApiResult.Problem(400, "The request is invalid.", "A JSON object is required.", new Dictionary<string, string[]> { ["$"] = ["A JSON object is required."] }))
                : (body, null);
        }
        catch (JsonException ex)
        {
            string field = ex.Path is null or "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
            string message = ex.Message.Split(" Path:", 2)[0];
            return (null, ApiResult.Problem(400, "The request is not valid JSON for this route.", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] }));
        }
    }

    /// <summary>413: the body is over <see cref="MaxBytes"/>.</summary>
    public static ApiResult TooLarge() => ApiResult.Problem(413, "Request body too large.", $"At most {MaxBytes} bytes.");
}
