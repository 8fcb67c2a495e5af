using Microsoft.Extensions.Hosting;
using UpmDurable.Functions;

// The Azure Functions app (isolated worker): HTTP, timer, orchestration and activity triggers over UpmDurable.Workflows.
FunctionsHost.CreateBuilder(args).Build().Run();
