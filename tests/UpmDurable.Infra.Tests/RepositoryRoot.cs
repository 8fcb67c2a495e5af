namespace UpmDurable.Infra.Tests;

/// <summary>Locates the repository root (the folder holding UpmDurable.sln) from the test output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "UpmDurable.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"UpmDurable.sln not found above {AppContext.BaseDirectory}.");
    }
}
