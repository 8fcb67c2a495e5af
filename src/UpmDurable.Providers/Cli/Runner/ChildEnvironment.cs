namespace UpmDurable.Providers.Cli.Runner;

/// <summary>
/// The clean room every child process runs in. A child inherits nothing of the host's environment (which holds the
/// service's own storage credentials and signing settings): it starts from an empty environment and gets only a fixed
/// <c>PATH</c>, a private <c>HOME</c> and tool config folder, the locale, the telemetry switches and the request's own
/// credentials, and it runs in a fresh private working folder that is deleted after the run.
/// </summary>
public sealed record ChildEnvironment
{
    /// <summary>The <c>PATH</c> of every child unless configured otherwise: system folders only.</summary>
    public const string FixedPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The clean room with every default: fixed PATH, HOME in the run's private working folder.</summary>
    public static ChildEnvironment Default { get; } = new();

    /// <summary>The switches every child gets: a UTF-8 locale, and no telemetry, update notices, warnings or colours in parsed output.</summary>
    public static IReadOnlyDictionary<string, string> Switches { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LANG"] = "C.UTF-8",
        ["AZURE_CORE_COLLECT_TELEMETRY"] = "false",
        ["AZURE_CORE_ONLY_SHOW_ERRORS"] = "true",
        ["AZURE_CORE_NO_COLOR"] = "true",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>The names the clean room sets itself; a request's environment may not set them (it carries credentials only).</summary>
    public static IReadOnlySet<string> ReservedNames { get; } =
        new HashSet<string>(["PATH", "HOME", "AZURE_CONFIG_DIR", .. Switches.Keys], StringComparer.OrdinalIgnoreCase);

    /// <summary>The children's <c>PATH</c>, also where pipe programs are resolved; never the host's.</summary>
    public string Path { get; init; } = FixedPath;

    /// <summary>The children's <c>HOME</c>, a folder the caller owns; null: the run's private working folder, so nothing a tool writes there outlives the run.</summary>
    public string? Home { get; init; }

    /// <summary>The Azure CLI's config folder (<c>AZURE_CONFIG_DIR</c>); it may persist across runs so <c>az</c> keeps its command index. Null: <c>.azure</c> under <c>HOME</c>.</summary>
    public string? AzureConfigDir { get; init; }

    /// <summary>Where each run's private working folder is created; null: the temp folder.</summary>
    public string? WorkRoot { get; init; }

    /// <summary>Throws when a request's environment tries to set a name the clean room owns (a credential map cannot move PATH or HOME).</summary>
    public static void EnsureCredentialsOnly(IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        string[] reserved = credentials.Keys.Where(ReservedNames.Contains).Order(StringComparer.Ordinal).ToArray();
        if (reserved.Length > 0)
        {
            throw new ArgumentException($"A command's environment carries the target's credentials only; the clean room sets {string.Join(", ", reserved)} itself.", nameof(credentials));
        }
    }

    /// <summary>The whole environment of a child run in <paramref name="workingDirectory"/>: the clean room's names plus the credentials.</summary>
    internal Dictionary<string, string> For(string workingDirectory, IReadOnlyDictionary<string, string> credentials)
    {
        EnsureCredentialsOnly(credentials);
        string home = Home ?? workingDirectory;
        var env = new Dictionary<string, string>(credentials, StringComparer.Ordinal)
        {
            ["PATH"] = Path,
            ["HOME"] = home,
            ["AZURE_CONFIG_DIR"] = AzureConfigDir ?? System.IO.Path.Combine(home, ".azure"),
        };
        foreach ((string name, string value) in Switches)
        {
            env[name] = value;
        }

        return env;
    }

    /// <summary>Creates a fresh working folder only the service's user can enter.</summary>
    internal string CreateWorkingDirectory()
    {
        string dir = System.IO.Path.Combine(WorkRoot ?? System.IO.Path.GetTempPath(), "upm-run-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return dir;
    }

    /// <summary>Finds an executable program in <see cref="Path"/>; null when none.</summary>
    internal string? Resolve(string program)
    {
        foreach (string dir in Path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Deletes a run's working folder; best effort, since a grandchild outside the killed tree may still hold it.</summary>
    internal static void DeleteWorkingDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the temp folder: private to the service's user, and holding nothing of the host's.
        }
    }
}
