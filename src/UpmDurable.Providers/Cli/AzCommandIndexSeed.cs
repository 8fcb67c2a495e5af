using System.Collections.Concurrent;

namespace UpmDurable.Providers.Cli;

/// <summary>
/// The Azure CLI's command index, built once per process and per <c>az</c> program. The first <c>az</c> run in a fresh
/// config folder loads every command module to build the index (about twice the CPU of a warm run), and concurrent first
/// runs race writing it. The first provider warms its own folder with <c>az version</c> and keeps the index files here;
/// each later provider's folder starts with a copy and runs nothing to warm up. The files hold no credentials: the
/// module of each command group and the CLI's version (a copy from another version is rebuilt by <c>az</c> itself).
/// </summary>
static class AzCommandIndexSeed
{
    static readonly string[] Files = ["commandIndex.json", "versionCheck.json"];
    static readonly ConcurrentDictionary<string, IReadOnlyList<(string Name, byte[] Content)>> Seeds = new(StringComparer.Ordinal);

    /// <summary>Copies the index kept for <paramref name="program"/> into <paramref name="configDir"/>; false when none is kept yet.</summary>
    public static bool TrySeed(string program, string configDir)
    {
        if (!Seeds.TryGetValue(program, out var files))
        {
            return false;
        }

        foreach ((string name, byte[] content) in files)
        {
            File.WriteAllBytes(Path.Combine(configDir, name), content);
        }

        return true;
    }

    /// <summary>Keeps the index <paramref name="program"/> built in <paramref name="configDir"/>, when it built one.</summary>
    public static void Keep(string program, string configDir)
    {
        string index = Path.Combine(configDir, Files[0]);
        if (!File.Exists(index))
        {
            return;
        }

        Seeds.TryAdd(program, Files.Where(name => File.Exists(Path.Combine(configDir, name)))
            .Select(name => (name, File.ReadAllBytes(Path.Combine(configDir, name)))).ToList());
    }
}
