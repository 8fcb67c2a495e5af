namespace UpmDurable.Testing;

/// <summary>Locations in the repository, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding UpmDurable.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The built local host.</summary>
    public static string LocalHostDll => Path.Combine(Root, "src", "UpmDurable.Local", "bin", Configuration, "net10.0", "UpmDurable.Local.dll");

    /// <summary>The built benchmarks' host (bench/UpmDurable.Bench.Host): the local host plus the engine's floor orchestrator.</summary>
    public static string BenchHostDll => Path.Combine(Root, "bench", "UpmDurable.Bench.Host", "bin", Configuration, "net10.0", "UpmDurable.Bench.Host.dll");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UpmDurable.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("UpmDurable.sln not found above " + AppContext.BaseDirectory);
    }
}
