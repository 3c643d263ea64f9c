using Microsoft.Data.Sqlite;
using Okr.Core.Storage;
using Okr.Storage.Specification;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>The SQLite store passes the whole conformance kit, each test on a fresh database file.</summary>
public class SqliteStoreConformance : OkrStoreSpecification
{
    private string? _connectionString;

    protected override ValueTask<IOkrStore> CreateStoreAsync() => ValueTask.FromResult<IOkrStore>(new SqliteOkrStore(_connectionString = TempDatabase.NewConnectionString()));

    // A second application instance: another store object on the same database file.
    protected override ValueTask<IOkrStore> CreateSecondInstanceAsync(IOkrStore first) =>
        ValueTask.FromResult<IOkrStore>(new SqliteOkrStore(_connectionString ?? throw new InvalidOperationException("CreateStoreAsync first.")));

    protected override ValueTask ReleaseStoreAsync(IOkrStore store)
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Database files under one folder per test run, removed at the end of the run.</summary>
internal static class TempDatabase
{
    private static readonly string Folder = CreateFolder();

    public static string NewConnectionString() => $"Data Source={Path.Combine(Folder, Guid.NewGuid().ToString("N"))}.db";

    private static string CreateFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "okr-sqlite-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the OS cleans the temp folder eventually.
            }
        };
        return folder;
    }
}
