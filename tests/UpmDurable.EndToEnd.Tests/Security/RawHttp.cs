using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UpmDurable.EndToEnd.Tests.Security;

/// <summary>An HTTP answer as the fuzzer sees it.</summary>
public sealed record FuzzResponse(int Status, string? ContentType, byte[] Body);

/// <summary>
/// HTTP/1.1 over a bare socket, for requests HttpClient refuses to send: non-ASCII or control bytes in headers and
/// paths, duplicate or oversized headers, raw chunked bodies.
/// </summary>
public static class RawHttp
{
    public static async Task<FuzzResponse> SendAsync(int port, byte[] head, byte[]? body, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        NetworkStream stream = client.GetStream();
        try
        {
            await stream.WriteAsync(head, cancellationToken);
            if (body is not null)
            {
                await stream.WriteAsync(body, cancellationToken);
            }
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything (e.g. 413, 431): read what it said.
        }

        using var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response, cancellationToken);
        }
        catch (IOException)
        {
            // Connection reset after the answer.
        }

        return Parse(response.ToArray());
    }

    /// <summary>Builds a request head; <paramref name="headers"/> are written byte for byte (Latin-1), whatever they hold.</summary>
    public static byte[] Head(string method, string target, IEnumerable<(string Name, string Value)> headers, int? contentLength)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (contentLength is { } length)
        {
            text.Append("Content-Length: ").Append(length).Append("\r\n");
        }

        text.Append("\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    static FuzzResponse Parse(byte[] raw)
    {
        int end = IndexOf(raw, "\r\n\r\n"u8);
        if (end < 0)
        {
            return new FuzzResponse(0, null, raw);
        }

        string[] lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        int status = statusLine.Length > 1 && int.TryParse(statusLine[1], out int s) ? s : 0;
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        byte[] body = raw[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new FuzzResponse(status, headers.GetValueOrDefault("Content-Type"), body);
    }

    static byte[] Dechunk(byte[] data)
    {
        using var output = new MemoryStream();
        int at = 0;
        while (at < data.Length)
        {
            int lineEnd = IndexOf(data.AsSpan(at), "\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            string sizeText = Encoding.ASCII.GetString(data, at, lineEnd).Split(';')[0];
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out int size) || size == 0)
            {
                break;
            }

            at += lineEnd + 2;
            output.Write(data, at, Math.Min(size, data.Length - at));
            at += size + 2;
        }

        return output.ToArray();
    }

    static int IndexOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> value) => data.IndexOf(value);
}
