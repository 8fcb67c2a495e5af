using UpmDurable.Local;

// The local host: the Functions app's routes and workflows on the Durable Task Azure Storage backend over Azurite.
await LocalHost.RunAsync(args);
