using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

namespace Okr.Benchmarks;

/// <summary>A fresh PostgreSQL database on the server named by OKR_TEST_POSTGRES.</summary>
internal static class BenchDatabase
{
    public static NpgsqlDataSource Create()
    {
        var server = Environment.GetEnvironmentVariable("OKR_TEST_POSTGRES") ?? throw new InvalidOperationException("Set OKR_TEST_POSTGRES to a PostgreSQL connection string.");
        var name = "okr_bench_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString());
    }

    /// <summary>Deletes what a benchmark made: a SQLite file (with its WAL files) or a PostgreSQL database.</summary>
    public static void Delete(string connectionString)
    {
        if (connectionString.StartsWith("Data Source=", StringComparison.Ordinal))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
        else
        {
            Drop(connectionString);
        }
    }

    /// <summary>Drops a database <see cref="Create"/> made, so runs of 100k-objective tenants do not fill the disk.</summary>
    public static void Drop(string connectionString)
    {
        var server = Environment.GetEnvironmentVariable("OKR_TEST_POSTGRES") ?? throw new InvalidOperationException("Set OKR_TEST_POSTGRES to a PostgreSQL connection string.");
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}

/// <summary>Check-ins to append: a new batch (new ids) for every iteration.</summary>
internal static class CheckInBatches
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    public static List<CheckIn> Make(int count, int seed)
    {
        var random = new Random(seed);
        var krs = Enumerable.Range(0, 500).Select(_ => new KeyResultId(Guid.CreateVersion7())).ToArray();
        return [.. Enumerable.Range(0, count).Select(i => new CheckIn(
            new CheckInId(Guid.CreateVersion7()), krs[i % krs.Length], random.Next(0, 100_000) / 100m, OwnerRef.Person("E1042"),
            Start + Duration.FromMinutes(i), Start + Duration.FromMinutes(i), new Confidence(0.7), "weekly"))];
    }

    /// <summary>
    /// The batch as one unit with a <c>checkIn.recorded</c> event per check-in, as <c>OkrService.CheckIns.RecordManyAsync</c>
    /// commits it (the event data in the shape and size the facade writes).
    /// </summary>
    public static OkrChangeSet WithEvents(TenantId tenant, IReadOnlyList<CheckIn> batch)
    {
        var changes = new OkrChangeSet().Append(batch);
        var objective = Guid.CreateVersion7();
        var period = Guid.CreateVersion7();
        foreach (var c in batch)
        {
            var data = $$"""{"checkIn":{"id":"{{c.Id}}","keyResult":"{{c.KeyResultId}}","value":{{OkrStoreFormat.FormatDecimal(c.Value)}},"author":{"kind":"person","id":"{{c.Author.ExternalId}}"},"effectiveAt":"2026-01-05T09:00:00Z","recordedAt":"2026-01-05T09:00:00Z","confidence":0.7,"note":"{{c.Note}}"},"objectiveId":"{{objective}}","periodId":"{{period}}"}""";
            changes.Raise(new Okr.Core.Events.OkrEvent(Guid.CreateVersion7(), tenant, 0, Okr.Core.Events.OkrEventTypes.CheckInRecorded, c.RecordedAt, null, data));
        }

        return changes;
    }

    public static object?[] Row(TenantId tenant, CheckIn c) =>
    [
        tenant.ToString(), c.Id.ToString(), c.KeyResultId.ToString(), OkrStoreFormat.FormatDecimal(c.Value), (long)c.Author.Kind, c.Author.ExternalId,
        OkrStoreFormat.ToUnixNanoseconds(c.EffectiveAt), OkrStoreFormat.ToUnixNanoseconds(c.RecordedAt), c.Confidence?.Value, c.Note, c.Corrects?.ToString(),
    ];
}

/// <summary>Append 10 000 check-ins in one atomic batch to a SQLite file, against a raw Microsoft.Data.Sqlite insert loop on the same schema.</summary>
[MemoryDiagnoser]
public class SqliteBatchAppend
{
    private const int BatchSize = 10_000;
    private readonly TenantId _tenant = new(Guid.CreateVersion7());
    private string _connectionString = null!;
    private SqliteOkrStore _store = null!;
    private List<CheckIn> _batch = null!;
    private int _seed;

    [GlobalSetup]
    public void Setup()
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-bench-{Guid.NewGuid():N}.db");
        _connectionString = $"Data Source={file}";
        _store = new SqliteOkrStore(_connectionString);
        _store.InitializeAsync().GetAwaiter().GetResult();
    }

    private OkrChangeSet _unit = null!;

    [IterationSetup]
    public void NewBatch()
    {
        _batch = CheckInBatches.Make(BatchSize, ++_seed);
        _unit = CheckInBatches.WithEvents(_tenant, _batch);
    }

    [Benchmark(Baseline = true, Description = "raw Microsoft.Data.Sqlite: prepared INSERT loop, one transaction")]
    public int Raw()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        InsertCheckIns(connection, transaction);
        transaction.Commit();
        return _batch.Count;
    }

    private void InsertCheckIns(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO check_ins (tenant, id, kr_id, value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        var parameters = Enumerable.Range(1, 11).Select(i => insert.Parameters.Add(new SqliteParameter($"${i}", null))).ToArray();
        insert.Prepare();
        foreach (var c in _batch)
        {
            var row = CheckInBatches.Row(_tenant, c);
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }
    }

    [Benchmark(Description = "raw Microsoft.Data.Sqlite: the same check-ins and event rows, prepared INSERT loops, one transaction")]
    public int RawWithOutbox()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        InsertCheckIns(connection, transaction);
        using var sequence = connection.CreateCommand();
        sequence.Transaction = transaction;
        sequence.CommandText = "INSERT INTO event_streams (tenant, last_sequence, next_attempt_at) VALUES ($t, $n, 0) ON CONFLICT (tenant) DO UPDATE SET last_sequence = event_streams.last_sequence + excluded.last_sequence RETURNING last_sequence";
        sequence.Parameters.AddWithValue("$t", "raw-" + _tenant);
        sequence.Parameters.AddWithValue("$n", (long)_unit.Events.Count);
        var first = (long)sequence.ExecuteScalar()! - _unit.Events.Count + 1;
        using var events = connection.CreateCommand();
        events.Transaction = transaction;
        events.CommandText = "INSERT INTO events (tenant, sequence, id, type, occurred_at, actor_kind, actor_id, data) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)";
        var eventParameters = Enumerable.Range(1, 6).Select(i => events.Parameters.Add(new SqliteParameter($"${i}", null))).ToArray();
        events.Prepare();
        eventParameters[0].Value = "raw-" + _tenant;
        for (var i = 0; i < _unit.Events.Count; i++)
        {
            var e = _unit.Events[i];
            eventParameters[1].Value = first + i;
            eventParameters[2].Value = e.Id.ToString();
            eventParameters[3].Value = e.Type;
            eventParameters[4].Value = OkrStoreFormat.ToUnixNanoseconds(e.OccurredAt);
            eventParameters[5].Value = e.Data;
            events.ExecuteNonQuery();
        }

        transaction.Commit();
        return _batch.Count;
    }

    [Benchmark(Description = "SqliteOkrStore.AppendCheckInsAsync (idempotent, validated)")]
    public int Store() => ((IOkrStore)_store).AppendCheckInsAsync(_tenant, _batch).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "SqliteOkrStore.CommitAsync: the batch and one outbox event per check-in, one transaction")]
    public int StoreWithOutbox() => _store.CommitAsync(_tenant, _unit).AsTask().GetAwaiter().GetResult().Events.Count;
}

/// <summary>Load every objective of a period of 100 000 from SQLite, against a raw read of the same rows.</summary>
[MemoryDiagnoser]
public class SqliteLoadPeriod
{
    private readonly TenantId _tenant = new(Guid.CreateVersion7());
    private string _connectionString = null!;
    private SqliteOkrStore _store = null!;
    private PeriodId _period;

    [Params(100_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = EnterpriseData.Of(Objectives);
        _period = data.Objectives[0].PeriodId;
        var file = Path.Combine(Path.GetTempPath(), $"okr-bench-{Guid.NewGuid():N}.db");
        _connectionString = $"Data Source={file}";
        _store = new SqliteOkrStore(_connectionString);
        var period = new OkrPeriod(_period, "2026-Q1", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)));
        _store.ImportAsync(_tenant, new OkrDocument(_tenant, [period], data.Objectives, [])).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "raw Microsoft.Data.Sqlite: read the same rows (ids, columns and JSON text)")]
    public long Raw()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, owner_kind, owner_id, state, version, body FROM objectives WHERE tenant = $t AND period_id = $p ORDER BY id";
        command.Parameters.AddWithValue("$t", _tenant.ToString());
        command.Parameters.AddWithValue("$p", _period.ToString());
        using var reader = command.ExecuteReader();
        long chars = 0;
        while (reader.Read())
        {
            chars += reader.GetString(0).Length + reader.GetInt64(1) + reader.GetString(2).Length + reader.GetInt64(3) + reader.GetInt64(4) + reader.GetString(5).Length;
        }

        return chars;
    }

    [Benchmark(Description = "SqliteOkrStore.ListObjectivesAsync (validated Objective instances)")]
    public int Store()
    {
        var count = 0;
        var e = _store.ListObjectivesAsync(_tenant, new ObjectiveQuery { Period = _period }).GetAsyncEnumerator();
        while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            count++;
        }

        return count;
    }
}

/// <summary>PostgreSQL: append 10 000 check-ins and import 10 000 objectives through binary COPY, against raw Npgsql COPY on the same schema. Needs OKR_TEST_POSTGRES.</summary>
[MemoryDiagnoser]
public class PostgreSqlCopy
{
    private const int BatchSize = 10_000;
    private readonly TenantId _tenant = new(Guid.CreateVersion7());
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlOkrStore _store = null!;
    private List<CheckIn> _batch = null!;
    private int _seed;

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = BenchDatabase.Create();
        _store = new PostgreSqlOkrStore(_dataSource);
        _store.InitializeAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _dataSource.Dispose();

    private OkrChangeSet _unit = null!;

    [IterationSetup]
    public void NewBatch()
    {
        _batch = CheckInBatches.Make(BatchSize, ++_seed);
        _unit = CheckInBatches.WithEvents(_tenant, _batch);
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql binary COPY into okr_check_ins")]
    public ulong Raw()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var rows = CopyCheckIns(connection, _tenant.Value);

        // The importer must be disposed before the transaction commits.
        transaction.Commit();
        return rows;
    }

    private ulong CopyCheckIns(NpgsqlConnection connection, Guid tenant)
    {
        using var copy = connection.BeginBinaryImport("COPY okr_check_ins (tenant, id, kr_id, value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) FROM STDIN (FORMAT BINARY)");
        foreach (var c in _batch)
        {
            copy.StartRow();
            copy.Write(tenant, NpgsqlDbType.Uuid);
            copy.Write(c.Id.Value, NpgsqlDbType.Uuid);
            copy.Write(c.KeyResultId.Value, NpgsqlDbType.Uuid);
            copy.Write(c.Value, NpgsqlDbType.Numeric);
            copy.Write((short)c.Author.Kind, NpgsqlDbType.Smallint);
            copy.Write(c.Author.ExternalId, NpgsqlDbType.Text);
            copy.Write(OkrStoreFormat.ToUnixNanoseconds(c.EffectiveAt), NpgsqlDbType.Bigint);
            copy.Write(OkrStoreFormat.ToUnixNanoseconds(c.RecordedAt), NpgsqlDbType.Bigint);
            copy.Write(c.Confidence!.Value.Value, NpgsqlDbType.Double);
            copy.Write(c.Note, NpgsqlDbType.Text);
            copy.WriteNull();
        }

        return copy.Complete();
    }

    [Benchmark(Description = "raw Npgsql: binary COPY of the same check-ins and event rows, one transaction")]
    public ulong RawWithOutbox()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var rows = CopyCheckIns(connection, _rawTenant);

        using (var sequence = new NpgsqlCommand("INSERT INTO okr_event_streams (tenant, last_sequence, next_attempt_at) VALUES (@t, @n, 0) ON CONFLICT (tenant) DO UPDATE SET last_sequence = okr_event_streams.last_sequence + excluded.last_sequence RETURNING last_sequence", connection, transaction))
        {
            sequence.Parameters.AddWithValue("t", _rawTenant);
            sequence.Parameters.AddWithValue("n", (long)_unit.Events.Count);
            var first = (long)sequence.ExecuteScalar()! - _unit.Events.Count + 1;
            using var copy = connection.BeginBinaryImport("COPY okr_events (tenant, sequence, id, type, occurred_at, actor_kind, actor_id, data) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < _unit.Events.Count; i++)
            {
                var e = _unit.Events[i];
                copy.StartRow();
                copy.Write(_rawTenant, NpgsqlDbType.Uuid);
                copy.Write(first + i, NpgsqlDbType.Bigint);
                copy.Write(e.Id, NpgsqlDbType.Uuid);
                copy.Write(e.Type, NpgsqlDbType.Text);
                copy.Write(OkrStoreFormat.ToUnixNanoseconds(e.OccurredAt), NpgsqlDbType.Bigint);
                copy.WriteNull();
                copy.WriteNull();
                copy.Write(e.Data, NpgsqlDbType.Text);
            }

            rows += copy.Complete();
        }

        transaction.Commit();
        return rows;
    }

    private readonly Guid _rawTenant = Guid.CreateVersion7();

    [Benchmark(Description = "PostgreSqlOkrStore.AppendCheckInsAsync (COPY + idempotent merge + clash check)")]
    public int Store() => ((IOkrStore)_store).AppendCheckInsAsync(_tenant, _batch).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "PostgreSqlOkrStore.CommitAsync: the batch and one outbox event per check-in, one transaction")]
    public int StoreWithOutbox() => _store.CommitAsync(_tenant, _unit).AsTask().GetAwaiter().GetResult().Events.Count;
}

/// <summary>PostgreSQL: import 10 000 objectives (40 000 key results) in one transaction, against raw Npgsql COPY of the same rows. Needs OKR_TEST_POSTGRES.</summary>
[MemoryDiagnoser]
public class PostgreSqlImport
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlOkrStore _store = null!;
    private Objective[] _objectives = null!;
    private TenantId _tenant;

    [Params(10_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = BenchDatabase.Create();
        _store = new PostgreSqlOkrStore(_dataSource);
        _store.InitializeAsync().GetAwaiter().GetResult();
        _objectives = EnterpriseData.Of(Objectives).Objectives;
    }

    [GlobalCleanup]
    public void Cleanup() => _dataSource.Dispose();

    [IterationSetup]
    public void NewTenant() => _tenant = new TenantId(Guid.CreateVersion7());

    [Benchmark(Baseline = true, Description = "raw Npgsql binary COPY of the same objective and key result rows")]
    public ulong Raw()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        ulong rows;
        using (var copy = connection.BeginBinaryImport("COPY okr_objectives (tenant, id, period_id, owner_kind, owner_id, state, version, body) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var o in _objectives)
            {
                copy.WriteRow(_tenant.Value, o.Id.Value, o.PeriodId.Value, (short)o.Owner.Kind, o.Owner.ExternalId, (short)o.State, o.Version, OkrJson.SerializeObjective(o));
            }

            rows = copy.Complete();
        }

        using (var copy = connection.BeginBinaryImport("COPY okr_key_results (tenant, id, objective_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var o in _objectives)
            {
                foreach (var kr in o.KeyResults)
                {
                    copy.WriteRow(_tenant.Value, kr.Id.Value, o.Id.Value);
                }
            }

            rows += copy.Complete();
        }

        transaction.Commit();
        return rows;
    }

    [Benchmark(Description = "PostgreSqlOkrStore.ImportAsync (COPY to staging + upsert + key result checks)")]
    public void Store() => _store.ImportAsync(_tenant, new OkrDocument(_tenant, [], _objectives, [])).AsTask().GetAwaiter().GetResult();
}
