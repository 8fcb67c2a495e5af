using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace UpmDurable.Testing;

/// <summary>A Durable Task client over the local host's private gRPC socket: lets tests and benches do what an operator's tooling would (terminate, start diagnostics).</summary>
public static class HostDurableClient
{
    public static DurableTaskClient For(LocalHostProcess host, string name = "tests")
    {
        string socket = Path.Combine(Path.GetTempPath(), $"upm-dt-{host.Pid}.sock");
        GrpcChannel channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                    return new NetworkStream(client, ownsSocket: true);
                },
            },
        });
        return new GrpcDurableTaskClient(name, new GrpcDurableTaskClientOptions { Channel = channel }, NullLogger.Instance);
    }
}
