using System.Collections.Frozen;

namespace UpmDurable.Api;

/// <summary>
/// The dashboard: one static page, its script and style sheet, embedded in this assembly and served by both hosts at
/// <c>GET /</c> and <c>GET /dashboard/{file}</c>. The page carries no data; it reads the API with the key the user enters.
/// </summary>
public static class DashboardPage
{
    /// <summary>No inline script or style, nothing from another origin, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = Load();

    /// <summary>The files under <c>/dashboard/</c>.</summary>
    public static IEnumerable<string> Files => Assets.Keys.Where(f => f != "index.html");

    /// <summary>GET /.</summary>
    public static ApiResult Index() => Serve("index.html");

    /// <summary>GET /dashboard/{file}.</summary>
    public static ApiResult Asset(string file) =>
        file != "index.html" && Assets.ContainsKey(file)
            ? Serve(file)
            : ApiResult.Problem(404, "No such dashboard file.", $"The dashboard has no file '{(file.Length > 64 ? file[..64] : file)}'.");

    static ApiResult Serve(string file)
    {
        var (content, contentType) = Assets[file];
        return ApiResult.Bytes(200, content, contentType)
            .WithHeader("Content-Security-Policy", ContentSecurityPolicy)
            .WithHeader("X-Content-Type-Options", "nosniff")
            .WithHeader("X-Frame-Options", "DENY")
            .WithHeader("Referrer-Policy", "no-referrer")
            .WithHeader("Cross-Origin-Opener-Policy", "same-origin")
            .WithHeader("Cross-Origin-Resource-Policy", "same-origin")
            .WithHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
            .WithHeader("Cache-Control", "no-cache");
    }

    static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string Prefix = "upm-dashboard/";
        var assembly = typeof(DashboardPage).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            string file = name[Prefix.Length..];
            assets[file] = (buffer.ToArray(), Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
