using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Logging.Abstractions;
using UpmDurable.Testing;

namespace UpmDurable.EndToEnd.Tests;

/// <summary>A Durable Task client over the local host's own gRPC socket: lets a test do what an operator's tooling would (terminate an instance).</summary>
public static class HostDurableClient
{
    public static DurableTaskClient For(LocalHostProcess host)
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
        return new GrpcDurableTaskClient("e2e", new GrpcDurableTaskClientOptions { Channel = channel }, NullLogger.Instance);
    }
}
