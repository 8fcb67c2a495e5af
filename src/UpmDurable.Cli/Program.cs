using Spectre.Console;
using UpmDurable.Cli;

return await UpmCli.RunAsync(args, AnsiConsole.Console);
