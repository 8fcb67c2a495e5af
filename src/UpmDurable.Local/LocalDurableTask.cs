using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using UpmDurable.Storage;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Orchestrators;
using UpmDurable.Workflows.Registration;

namespace UpmDurable.Local;

/// <summary>
/// Runs the Durable Task engine in-process: the gRPC sidecar (<see cref="TaskHubGrpcServer"/>) over the Azure Storage backend,
/// with the worker and client of Microsoft.DurableTask connected to it through a private Unix socket.
/// </summary>
public static class LocalDurableTask
{
    /// <summary>
    /// Adds the engine, the worker with the product's orchestrators and activities (<see cref="WorkflowTasks"/>) and the
    /// client. <paramref name="moreTasks"/> registers more with the worker: the product passes none.
    /// </summary>
    public static async Task AddLocalDurableTaskAsync(this WebApplicationBuilder builder, Action<DurableTaskRegistry>? moreTasks = null)
    {
        var options = LocalHostOptions.From(builder.Configuration);
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        string connection = storage.ConnectionString ?? StorageOptions.Development;
        builder.Services.AddSingleton(options);

        // A local host should stop promptly on Ctrl+C; in-flight work is durable and resumes on the next start.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var service = new AzureStorageOrchestrationService(BackendSettings(options, connection));
        await service.CreateIfNotExistsAsync();
        builder.Services.AddSingleton<IOrchestrationService>(new SidecarCompatibleOrchestrationService(service));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        string socket = Path.Combine(Path.GetTempPath(), $"upm-dt-{Environment.ProcessId}.sock");
        File.Delete(socket);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2);
        });

        GrpcChannel channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                        return new NetworkStream(client, ownsSocket: true);
                    }
                    catch
                    {
                        client.Dispose();
                        throw;
                    }
                },
            },
        });
        builder.Services.AddSingleton(channel);

        // Orchestration versioning (docs/versioning.md): new orchestrations start at this build's version; the worker runs
        // those of its version or older, replaying each on the path of the version it started at, and leaves newer ones
        // (a newer build's, seen during a rollback of the deployment) for a worker of their version.
        WorkflowVersion version = WorkflowVersion.From(builder.Configuration);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.UseVersioning(Versioning(version));
            worker.AddTasks(tasks =>
            {
                foreach (Type orchestrator in WorkflowTasks.Orchestrators.Where(t => t != typeof(DriftMonitorOrchestrator)))
                {
                    tasks.AddOrchestrator(orchestrator);
                }

                // The worker makes orchestrators with Activator.CreateInstance (no DI): the monitor gets the version here.
                tasks.AddOrchestrator(nameof(DriftMonitorOrchestrator), () => new DriftMonitorOrchestrator(version));

                foreach (Type activity in WorkflowTasks.Activities)
                {
                    tasks.AddActivity(activity);
                }

                moreTasks?.Invoke(tasks);
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.UseDefaultVersion(version.Current);
            client.RegisterDirectly();
        });
        // The worker creates the client activities (WorkflowTasks.ClientActivities) with this starter; the Functions triggers
        // make theirs over the [DurableClient] binding.
        builder.Services.AddSingleton<IOrchestrationStarter>(sp => new DurableClientStarter(sp.GetRequiredService<DurableTaskClient>()));

        if (options.DriftSweepMinutes > 0)
        {
            builder.Services.AddHostedService<DriftSweepSchedule>();
        }
    }

    /// <summary>The worker's versioning: the same three settings as host.json's <c>defaultVersion</c>, <c>versionMatchStrategy</c>, <c>versionFailureStrategy</c>.</summary>
    public static DurableTaskWorkerOptions.VersioningOptions Versioning(WorkflowVersion version) => new()
    {
        Version = version.Current,
        DefaultVersion = version.Current,
        MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
        FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
    };

    /// <summary>
    /// The Azure Storage backend's settings from the local host's options: the one place they are made (the settings test
    /// compares them with host.json's, see docs/operations-scale.md).
    /// </summary>
    public static AzureStorageOrchestrationServiceSettings BackendSettings(LocalHostOptions options, string connection) => new()
    {
        StorageAccountClientProvider = new StorageAccountClientProvider(connection),
        TaskHubName = options.TaskHub,
        PartitionCount = Math.Clamp(options.PartitionCount, 1, 16),
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(options.MaxQueuePollingIntervalMs),
        CustomMessageTypeBinder = new ProtobufMapTypeBinder(),
        ExtendedSessionsEnabled = options.ExtendedSessions,
        ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(Math.Max(1, options.ExtendedSessionIdleSeconds)),
        MaxConcurrentTaskActivityWorkItems = Math.Max(1, options.MaxConcurrentActivities),
        MaxConcurrentTaskOrchestrationWorkItems = Math.Max(1, options.MaxConcurrentOrchestrations),

        // A restarted host is a new worker: with the machine name as worker id it would take the dead process's
        // partition leases for its own and never start them. Short leases make a crashed host's partitions free
        // within seconds; the app lease (for side-by-side app versions) would hold them for up to minutes.
        WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}",
        LeaseInterval = TimeSpan.FromSeconds(options.PartitionLeaseSeconds),
        LeaseRenewInterval = TimeSpan.FromSeconds(Math.Max(1, options.PartitionLeaseSeconds / 3)),
        LeaseAcquireInterval = TimeSpan.FromSeconds(Math.Max(1, options.PartitionLeaseSeconds / 3)),
        UseAppLease = false,

        // A message a crashed host had dequeued (an orchestration step or an activity) reappears after this instead of
        // after 5 minutes. Episodes take milliseconds; running activities keep their message hidden by lock renewal.
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.MessageVisibilitySeconds),
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.MessageVisibilitySeconds),
    };
}
