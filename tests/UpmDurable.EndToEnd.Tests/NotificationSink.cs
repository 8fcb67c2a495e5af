using System.Collections.Concurrent;
using System.Net;
using UpmDurable.Testing;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>An HTTP listener on a free loopback port that keeps every request it receives (body and signature header).</summary>
public sealed class NotificationSink : IDisposable
{
    readonly HttpListener listener = new();

    public NotificationSink()
    {
        Url = $"http://127.0.0.1:{Azurite.FreePort()}/notify/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(string Body, string? Signature, string? Delivery)> Received { get; } = new();

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                Received.Enqueue((await reader.ReadToEndAsync(), context.Request.Headers["X-Upm-Signature"], context.Request.Headers["X-Upm-Delivery"]));
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
    }
}
