using System.Globalization;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// A memory limit for child processes, as a container's: a cgroup made below this process's own memory cgroup, with
/// the kernel's OOM killer behind it. Works with cgroup v2 (<c>memory.max</c>) and v1 (<c>memory.limit_in_bytes</c>),
/// needs write access to the cgroup (root), and not systemd: <c>systemd-run --scope -p MemoryMax=</c> needs systemd
/// as PID 1, and <c>prlimit --as</c> limits address space, which .NET reserves far beyond what it uses (the runtime
/// does not even start under a 2 GB RLIMIT_AS). .NET reads the cgroup's limit and sizes its heap to it, as in a container.
/// </summary>
public sealed class MemoryCap : IDisposable
{
    private readonly bool _v2;

    private MemoryCap(string directory, bool v2, long limitBytes)
    {
        Directory = directory;
        _v2 = v2;
        LimitBytes = limitBytes;
    }

    /// <summary>The cgroup's folder; a process joins by writing its pid to <c>cgroup.procs</c>.</summary>
    public string Directory { get; }

    public long LimitBytes { get; }

    /// <summary>How many processes in the cgroup the kernel killed for want of memory.</summary>
    public long OomKills => ReadCounter(_v2 ? "memory.events" : "memory.oom_control", "oom_kill");

    /// <summary>The cgroup's peak memory use (all its processes, page cache included), if the kernel reports it.</summary>
    public long? PeakBytes => ReadNumber(_v2 ? "memory.peak" : "memory.max_usage_in_bytes");

    /// <summary>Makes the cgroup, or says why it cannot be made here.</summary>
    public static MemoryCap? TryCreate(string name, long limitBytes, out string? whyNot)
    {
        whyNot = null;
        try
        {
            var (parent, v2) = OwnMemoryCgroup();
            if (parent is null)
            {
                whyNot = "no memory cgroup found for this process (/proc/self/cgroup)";
                return null;
            }

            var directory = Path.Combine(parent, name);
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, v2 ? "memory.max" : "memory.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));
            return new MemoryCap(directory, v2, limitBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot make a memory cgroup here ({ex.GetType().Name}: {ex.Message})";
            return null;
        }
    }

    /// <summary>Removes the cgroup; the kernel allows that only once its processes have ended.</summary>
    public void Dispose()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(250); // a process still exiting
            }
        }
    }

    /// <summary>
    /// cgroup v2 when the unified hierarchy offers the memory controller; otherwise v1's memory hierarchy. Either way
    /// the folder of this process's own cgroup, so the children stay within whatever limits this process has.
    /// </summary>
    private static (string? Directory, bool V2) OwnMemoryCgroup()
    {
        var lines = File.ReadAllLines("/proc/self/cgroup");
        var unified = lines.FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
        if (unified is not null && File.Exists("/sys/fs/cgroup/cgroup.controllers") &&
            File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', StringSplitOptions.TrimEntries).Contains("memory"))
        {
            return (Path.Combine("/sys/fs/cgroup", unified.TrimStart('/')), true);
        }

        var v1 = lines.Select(l => l.Split(':', 3)).FirstOrDefault(p => p.Length == 3 && p[1].Split(',').Contains("memory"));
        return v1 is null || !System.IO.Directory.Exists("/sys/fs/cgroup/memory")
            ? (null, false)
            : (Path.Combine("/sys/fs/cgroup/memory", v1[2].TrimStart('/')), false);
    }

    private long ReadCounter(string file, string key)
    {
        var path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            return 0;
        }

        var line = File.ReadAllLines(path).FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(key.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private long? ReadNumber(string file)
    {
        var path = Path.Combine(Directory, file);
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }
}
