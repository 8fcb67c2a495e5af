using Spectre.Console;
using UpmDurable.Cli;

// Redirected output (scripts, CI logs) is not wrapped at 80 columns: one line per fact.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console.Profile.Width = 1000;
}

return await UpmCli.RunAsync(args, AnsiConsole.Console);
