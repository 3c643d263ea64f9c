using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL cluster of a test's own (initdb, pg_ctl) from the machine's binaries, as <c>./test.sh</c> makes the
/// shared one: for tests that stop and restart the server, which the shared server cannot be. Run as the
/// <c>postgres</c> user when the tests run as root (initdb refuses root).
/// </summary>
internal sealed class ThrowawayCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;

    private ThrowawayCluster(string bin, string data, int port)
    {
        _bin = bin;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    /// <summary>Makes and starts a cluster on a free port of 127.0.0.1.</summary>
    public static async Task<ThrowawayCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version()).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (Debian's postgresql package); ./test.sh installs them.");
        }

        var data = Directory.CreateTempSubdirectory("okr-pg-own-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", "postgres", data);
        }

        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust");
        var cluster = new ThrowawayCluster(bin, data, FreePort());
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Stops the server (fast shutdown: open connections are closed).</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "fast", "-w", "stop");

    /// <summary>Starts the server again on the same port.</summary>
    public Task StartAgainAsync() => RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-w", "-l", Path.Combine(_data, "server.log"),
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_data} -c fsync=off", "start");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            await StopAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
