using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Okr.Storage.Relational;

namespace Okr.Storage.Sqlite;

/// <summary>
/// An <see cref="IOkrStore"/> in one SQLite file: WAL mode, the schema created or migrated when the
/// store is first used, every statement parameterised, every write one transaction.
/// </summary>
/// <remarks>
/// Objectives are kept whole as <c>okr/1</c> JSON beside the columns queries need; check-ins as
/// columns (instants as nanoseconds, values as exact decimal text). Safe for concurrent use from many
/// threads and processes on one machine: SQLite serialises writers, readers never block.
/// </remarks>
public sealed class SqliteOkrStore : IOkrStore, IOkrEventOutbox, IOkrStoreHealth, IOkrStoreMigration, IDisposable
{
    private const int ReadAheadChunkRows = 256;
    private const int ReadAheadChunks = 4;
    private const string CheckInColumns = RelationalSql.CheckInColumns;

    /// <summary>The statements the two SQL stores share, in SQLite's form (no table prefix, <c>$</c> parameters).</summary>
    private static readonly RelationalSql Sql = new(string.Empty, '$', "IN (SELECT value FROM json_each(${0}))", locksRows: false);

    /// <summary>
    /// The objectives holding a list of key results, each once. The ids go in as an <c>IN</c> list: written as a
    /// join, SQLite walked the tenant's key results and scanned the list for each.
    /// </summary>
    internal static string FindObjectivesSql => Sql.FindObjectivesByKeyResults;

    /// <summary>The maintained current values of a list of key results, by key (<see cref="GetCurrentValuesAsync"/>).</summary>
    internal static string CurrentValuesSql => Sql.CurrentValues;

    /// <summary>The histories of a list of key results (<see cref="GetHistoriesAsync"/>).</summary>
    internal static string HistoriesSql => Sql.Histories;

    internal static string PeriodRecordedSql => Sql.PeriodRecorded;

    /// <summary>The recompute of key results' current values after an append.</summary>
    internal static string RefreshValuesSql => Sql.RefreshValues;

    /// <summary>The objectives at or under some of a period's (<see cref="ListSubtreesAsync"/>).</summary>
    internal static string SubtreesSql => Sql.Subtrees;

    /// <summary>The objectives of some periods aligned under some objectives (<see cref="IOkrStore.ListAlignedUnderAsync"/>).</summary>
    internal static string AlignedUnderSql => Sql.AlignedUnder;

    /// <summary>Objectives by id (<see cref="GetObjectivesAsync"/>, the import check).</summary>
    internal static string ObjectivesByIdSql => Sql.ObjectivesById;

    /// <summary>
    /// The values in force, in one statement: for each key result, the id of its latest check-in not
    /// superseded by a known correction (the rule of <see cref="CheckInHistory.AsOf"/>), found by walking the
    /// history index backwards and stopping at the first that qualifies; then those rows by key. Every step is
    /// an index search (see <c>SqliteSchemaTests.Every_query_has_an_index</c>), so the cost grows with the
    /// number of key results asked for, not with the tenant's or a key result's history.
    /// </summary>
    internal const string ValuesAsOfSql = $"""
        SELECT {CheckInColumns} FROM check_ins
        WHERE tenant = $t AND id IN (
            SELECT (SELECT c.id FROM check_ins c
                    WHERE c.tenant = $t AND c.kr_id = j.value AND c.effective_at <= $at
                      AND ($known IS NULL OR c.recorded_at <= $known)
                      AND NOT EXISTS (SELECT 1 FROM check_ins d
                                      WHERE d.tenant = $t AND d.corrects = c.id AND d.kr_id = c.kr_id
                                        AND ($known IS NULL OR d.recorded_at <= $known))
                    ORDER BY c.effective_at DESC, c.recorded_at DESC, c.id DESC LIMIT 1)
            FROM json_each($krs) j)
        """;

    /// <summary>
    /// A period's content for <see cref="OkrChangeSet.ExpectContent"/>: its objectives, and the check-ins of the key
    /// results they hold, counted per key result on the history index (written as a three-way join, the planner walked
    /// the tenant's check-ins; the plan test refuses that).
    /// </summary>
    internal static string PeriodContentSql => Sql.PeriodContent;

    /// <summary>A key result's check-ins, corrections included, for <see cref="OkrChangeSet.ExpectCheckInCount"/> (counted on the history index).</summary>
    internal const string CountCheckInsSql = "SELECT count(*) FROM check_ins WHERE tenant = $t AND kr_id = $kr";

    // SQLite has one writer at a time per file. Writers of this process queue on a gate per file, so they
    // never spin in SQLite's busy handler; other processes are still serialised by SQLite's own lock. A gate lives
    // while a store of its file does: the last store's Dispose removes it.
    private static readonly Dictionary<string, WriteGate> WriteGates = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly string _file;
    private readonly SemaphoreSlim _writeGate;
    private int _disposed;
    private readonly RetriedInitialization _migrated;
    private readonly int? _analyzeThreshold;

    /// <summary>The host's transaction every call of this instance runs in (<see cref="WithTransaction"/>); null: the store's own.</summary>
    private readonly SqliteTransaction? _bound;

    /// <summary>Creates the store; the database is opened and migrated on first use.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="OkrValidationException">The settings are invalid.</exception>
    public SqliteOkrStore(SqliteOkrStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true };
        _connectionString = builder.ToString();
        _analyzeThreshold = options.AnalyzeThreshold;
        _file = Path.GetFullPath(builder.DataSource);
        lock (WriteGates)
        {
            if (!WriteGates.TryGetValue(_file, out var gate))
            {
                WriteGates[_file] = gate = new WriteGate();
            }

            gate.Stores++;
            _writeGate = gate.Semaphore;
        }

        var autoMigrate = options.AutoMigrate;
        _migrated = new RetriedInitialization(() =>
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            if (autoMigrate)
            {
                SqliteSchema.Migrate(connection);
            }
            else
            {
                SqliteSchema.RequireCurrent(connection);
            }

            return Task.CompletedTask;
        });
    }

    private SqliteOkrStore(SqliteOkrStore store, SqliteTransaction transaction)
    {
        _connectionString = store._connectionString;
        _file = store._file;
        _writeGate = store._writeGate;
        _migrated = store._migrated;
        _analyzeThreshold = store._analyzeThreshold;
        _bound = transaction;
    }

    /// <summary>
    /// The same store running every call on a connection and in a transaction the host already holds (a
    /// <see cref="SqliteConnection"/> to the same file), so an OKR write and the host's own writes commit or roll back
    /// together. Each unit of work runs in a savepoint of that transaction: one that fails is rolled back to it, leaving
    /// the host's transaction usable with nothing of the unit in it. The store never commits, rolls back or disposes the
    /// host's transaction; reads see its uncommitted writes; the returned store serves one call at a time. Begin the
    /// host's transaction with <c>BeginTransaction(deferred: false)</c> so it holds the file's write lock from the start.
    /// Microsoft.Data.Sqlite does not take part in <c>System.Transactions</c>: inside a <c>TransactionScope</c>, bind the
    /// store this way. Disposing the returned store releases nothing; dispose this one as before.
    /// </summary>
    /// <param name="transaction">An open transaction of an open connection to the store's file.</param>
    /// <returns>A store bound to the transaction.</returns>
    /// <exception cref="ArgumentException">The transaction's connection is not open, or is to another file.</exception>
    public SqliteOkrStore WithTransaction(SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ThrowIfDisposed();
        if (transaction.Connection is not { State: System.Data.ConnectionState.Open } connection)
        {
            throw new ArgumentException("The transaction's connection must be open.", nameof(transaction));
        }

        if (!string.Equals(Path.GetFullPath(connection.DataSource), _file, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The transaction is on {connection.DataSource}, not on the store's file {_file}.", nameof(transaction));
        }

        return new SqliteOkrStore(this, transaction);
    }

    /// <summary>The schema version this version of the store writes (and, with <see cref="SqliteOkrStoreOptions.AutoMigrate"/> off, requires).</summary>
    public static int SchemaVersion => SqliteSchema.CurrentVersion;

    /// <summary>
    /// The SQL that migrates a database file from <paramref name="fromVersion"/> to <see cref="SchemaVersion"/>: what the
    /// store runs itself when <see cref="SqliteOkrStoreOptions.AutoMigrate"/> is on, as one script to review and run (the
    /// sqlite3 shell with <c>.bail on</c>, or any client). One transaction, with a guard that fails on a database at
    /// another version than <paramref name="fromVersion"/>.
    /// </summary>
    /// <param name="fromVersion">The file's version now: 0 for a new file.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is negative or above <see cref="SchemaVersion"/>.</exception>
    public static string MigrationScript(int fromVersion = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromVersion, SchemaVersion);
        return SqliteSchema.Script(fromVersion, SchemaVersion);
    }

    /// <summary>
    /// Migrates the schema to <see cref="SchemaVersion"/> now, whatever <see cref="SqliteOkrStoreOptions.AutoMigrate"/> says
    /// (a deployment step, a start-up task).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            SqliteSchema.Migrate(connection);
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the store for a connection string such as <c>Data Source=okr.db</c>.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="OkrValidationException">The connection string is invalid.</exception>
    public SqliteOkrStore(string connectionString)
        : this(new SqliteOkrStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>The files this process has a store open on (their write gates), for the tests.</summary>
    internal static IReadOnlyCollection<string> OpenFiles
    {
        get
        {
            lock (WriteGates)
            {
                return [.. WriteGates.Keys];
            }
        }
    }

    /// <summary>
    /// Releases what the store holds for its file in this process (the write gate, once no other store of the file is
    /// left). The store cannot be used afterwards. Pooled SQLite connections are the driver's, cleared with
    /// <see cref="SqliteConnection.ClearAllPools"/>.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || _bound is not null)
        {
            return;
        }

        lock (WriteGates)
        {
            if (WriteGates.TryGetValue(_file, out var gate) && ReferenceEquals(gate.Semaphore, _writeGate) && --gate.Stores == 0)
            {
                WriteGates.Remove(_file);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    private sealed class WriteGate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Stores { get; set; }
    }

    /// <inheritdoc/>
    public async ValueTask<OkrStoreHealthReport> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var expected = SqliteSchema.CurrentVersion;
        if (Volatile.Read(ref _disposed) == 1)
        {
            return new OkrStoreHealthReport(false, $"The SQLite store of {_file} has been disposed.", null, expected);
        }

        try
        {
            await _migrated.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT version FROM okr_schema";
            var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return version == expected
                ? new OkrStoreHealthReport(true, $"SQLite file {_file} at schema version {version}.", version, expected)
                : new OkrStoreHealthReport(false, $"SQLite file {_file} is at schema version {version}; this library writes {expected}.", version, expected);
        }
#pragma warning disable CA1031 // A health check reports every failure instead of throwing it.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new OkrStoreHealthReport(false, $"SQLite file {_file} cannot be used: {ex.Message}", null, expected, ex);
        }
    }

    /// <summary>
    /// Opens the database now rather than on first use: with <see cref="SqliteOkrStoreOptions.AutoMigrate"/> on (the
    /// default) it applies any pending schema migration; with it off it checks the file is at <see cref="SchemaVersion"/>
    /// and fails naming the script to run. A failure is not remembered: the next call tries again.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the migration).</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="InvalidOperationException">Automatic migration is off and the file is at another version.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _migrated.Value.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction: SQLite admits one writer per file at a time (across processes too),
    /// so the versions and counts checked at its start cannot change before it commits.
    /// </remarks>
    public async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckChangeSet(tenant, changes);
        OkrCommitResult? result = null;
        await WriteAsync(
            (connection, transaction) =>
            {
                // Every operation of the target is synchronous: the shared algorithm completes on this thread, in the transaction.
                var target = new TransactionTarget(connection, transaction, tenant, cancellationToken);
                result = StoreRules.CommitAsync(changes, target, cancellationToken).AsTask().GetAwaiter().GetResult();
            },
            cancellationToken,
            () => _analyzeThreshold is { } threshold && Math.Max(Math.Max(changes.Objectives.Count, result?.CheckInsAdded ?? 0), result?.Events.Count ?? 0) >= threshold).ConfigureAwait(false);
        return result!;
    }

    /// <inheritdoc/>
    public async ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        await foreach (var content in QueryAsync(PeriodContentSql, r => new PeriodContent(r.GetInt64(0), r.GetInt64(1)), cancellationToken, ("$t", Text(tenant)), ("$p", period.ToString())).ConfigureAwait(false))
        {
            return content;
        }

        return default;
    }

    /// <inheritdoc/>
    public async ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default)
    {
        await foreach (var p in QueryAsync(Sql.GetPeriod, ReadPeriod, cancellationToken, ("$t", Text(tenant)), ("$id", id.ToString())).ConfigureAwait(false))
        {
            return p;
        }

        return null;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.ListPeriods, ReadPeriod, cancellationToken, ("$t", Text(tenant)));

    /// <inheritdoc/>
    public async ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        await foreach (var o in QueryAsync(Sql.GetObjective, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$id", id.ToString())).ConfigureAwait(false))
        {
            return o;
        }

        return null;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Objective>> GetObjectivesAsync(TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<Objective>(ids.Count);
        if (ids.Count > 0)
        {
            await foreach (var o in QueryAsync(Sql.ObjectivesById, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$ids", Ids(ids.Select(i => i.ToString())))).ConfigureAwait(false))
            {
                found.Add(o);
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public async ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        await foreach (var o in QueryAsync(Sql.FindObjectiveByKeyResult, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$kr", keyResult.ToString())).ConfigureAwait(false))
        {
            return o;
        }

        return null;
    }

    /// <inheritdoc/>
    public async ValueTask<Objective?> FindLastHolderAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        if (await FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return holder;
        }

        await foreach (var o in QueryAsync(Sql.FindLastHolder, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$pattern", $"%{{\"id\":\"{keyResult}\"%")).ConfigureAwait(false))
        {
            return o;
        }

        return null;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var found = new Dictionary<KeyResultId, Objective>(keyResults.Count);
        if (keyResults.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return found;
        }

        var asked = keyResults as IReadOnlySet<KeyResultId> ?? keyResults.ToHashSet();
        var ids = IdList(keyResults);
        await foreach (var o in QueryAsync(FindObjectivesSql, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$krs", ids)).ConfigureAwait(false))
        {
            StoreRules.MapKeyResults(o, asked, found);
        }

        return found;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.PeriodHistory, ReadPeriod, cancellationToken, ("$t", Text(tenant)), ("$id", id.ToString()));

    /// <inheritdoc/>
    public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.ObjectiveHistory, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$id", id.ToString()));

    /// <summary>
    /// The listing statement for a query. SQLite chooses the index: without statistics it walks the tenant's
    /// primary key in id order (no sort, bodies read in place), which is the fastest read of a tenant's
    /// objectives and of a period that holds most of them (1.35× the raw read for 100 000); naming the period's
    /// index instead made that read 3.4× (a lookup per row) in exchange for reading less of a tenant with
    /// many periods.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <returns>The statement, with the parameters <c>$t</c>, <c>$period</c>, <c>$ok</c>, <c>$oid</c>, <c>$state</c>, <c>$after</c>, <c>$limit</c>.</returns>
    internal static string ListObjectivesSql(ObjectiveQuery query) =>
        Sql.ListObjectives(query);

    /// <inheritdoc/>
    public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return ReadObjectivesAheadAsync(
            ListObjectivesSql(query),
            cancellationToken,
            ("$t", Text(tenant)),
            ("$period", query.Period?.ToString()),
            ("$ok", (long?)query.Owner?.Kind),
            ("$oid", query.Owner?.ExternalId),
            ("$state", (long?)query.State),
            ("$after", query.After?.ToString()),
            ("$limit", (long?)query.Limit));
    }

    /// <inheritdoc/>
    public async ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default)
    {
        await foreach (var c in QueryAsync(Sql.GetCheckIn, ReadCheckIn, cancellationToken, ("$t", Text(tenant)), ("$id", id.ToString())).ConfigureAwait(false))
        {
            return c;
        }

        return null;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.CheckInHistory, ReadCheckIn, cancellationToken, ("$t", Text(tenant)), ("$kr", keyResult.ToString()));

    /// <inheritdoc/>
    public IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) =>
        QueryAsync(PeriodRecordedSql, static r => (KeyResultId.Parse(r.GetString(0)), OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(1))), cancellationToken, ("$t", Text(tenant)), ("$p", period.ToString()));

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var result = new Dictionary<KeyResultId, CheckIn>();
        if (keyResults.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return result;
        }

        if (knownAt is null)
        {
            // Everything known: the maintained values answer, except where one took effect after the instant.
            var current = await GetCurrentValuesAsync(tenant, keyResults, effectiveAt, cancellationToken).ConfigureAwait(false);
            foreach (var (kr, value) in current)
            {
                if (value.InForce is { } c)
                {
                    result[kr] = c;
                }
            }

            return result;
        }

        return await QueryValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The as-of read over the histories (<see cref="ValuesAsOfSql"/>).</summary>
    private async ValueTask<Dictionary<KeyResultId, CheckIn>> QueryValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt, CancellationToken cancellationToken)
    {
        var result = new Dictionary<KeyResultId, CheckIn>();
        var ids = IdList(keyResults);
        await foreach (var c in QueryAsync(ValuesAsOfSql, ReadCheckIn, cancellationToken, ("$t", Text(tenant)), ("$krs", ids), ("$at", Nanos(effectiveAt)), ("$known", knownAt is { } k ? Nanos(k) : null)).ConfigureAwait(false))
        {
            result[c.KeyResultId] = c;
        }

        return result;
    }

    /// <inheritdoc/>
    /// <remarks>One recursive statement over the alignment index.</remarks>
    public IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(roots);
        return QueryAsync(Sql.Subtrees, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$p", period.ToString()), ("$roots", Ids(roots.Select(r => r.ToString()))));
    }

    /// <inheritdoc/>
    /// <remarks>Implemented explicitly: call it through <see cref="IOkrStore"/>.</remarks>
    IAsyncEnumerable<Objective> IOkrStore.ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, CancellationToken cancellationToken)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(parents);
        return QueryAsync(Sql.AlignedUnder, ReadObjective, cancellationToken, ("$t", Text(tenant)), ("$periods", Ids(periods.Select(p => p.ToString()))), ("$parents", Ids(parents.Select(p => p.ToString()))));
    }

    /// <inheritdoc/>
    /// <remarks>One statement on the history index.</remarks>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        cancellationToken.ThrowIfCancellationRequested();
        return keyResults.Count == 0
            ? new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>()
            : await RelationalReads.HistoriesAsync(QueryAsync(Sql.Histories, ReadCheckIn, cancellationToken, ("$t", Text(tenant)), ("$krs", IdList(keyResults)))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>One statement reads the maintained values by key; only key results whose value took effect after <paramref name="at"/> go to the as-of read.</remarks>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        cancellationToken.ThrowIfCancellationRequested();
        return keyResults.Count == 0
            ? new Dictionary<KeyResultId, KeyResultCurrent>()
            : await RelationalReads.CurrentValuesAsync(QueryAsync(Sql.CurrentValues, ReadCurrent, cancellationToken, ("$t", Text(tenant)), ("$krs", IdList(keyResults))), keyResults.Count, at, later => QueryValuesAsOfAsync(tenant, later, at, null, cancellationToken)).ConfigureAwait(false);
    }

    private static KeyResultCurrent ReadCurrent(SqliteDataReader r) =>
        new(KeyResultId.Parse(r.GetString(10)), r.IsDBNull(0) ? null : ReadCheckIn(r), OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(11)));

    /// <inheritdoc/>
    public async ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        StoreRules.CheckTenant(tenant, document);
        await WriteAsync((connection, transaction) =>
        {
            // Inside the write transaction (SQLite's one writer): nothing can change what the check read before the commit.
            var check = StoreRules.CheckImportAsync(document, (ids, _) => ValueTask.FromResult<IReadOnlyList<Objective>>(LoadObjectives(connection, transaction, tenant, ids)), cancellationToken);
            check.GetAwaiter().GetResult();
            foreach (var period in document.Periods)
            {
                UpsertPeriod(connection, transaction, tenant, period);
            }

            progress?.Report(new ImportProgress(ImportStage.Periods, document.Periods.Count, document.Periods.Count));
            for (var i = 0; i < document.Objectives.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var objective = document.Objectives[i];
                using (var exists = Command(connection, transaction, "SELECT 1 FROM objectives WHERE tenant = $t AND id = $id", ("$t", Text(tenant)), ("$id", objective.Id.ToString())))
                {
                    PutObjective(connection, transaction, tenant, objective, exists: exists.ExecuteScalar() is not null);
                }

                if ((i + 1) % StoreRules.ProgressEvery == 0 || i + 1 == document.Objectives.Count)
                {
                    progress?.Report(new ImportProgress(ImportStage.Objectives, i + 1, document.Objectives.Count));
                }
            }

            Append(connection, transaction, tenant, document.CheckIns, cancellationToken);
            progress?.Report(new ImportProgress(ImportStage.CheckIns, document.CheckIns.Count, document.CheckIns.Count));
        }, cancellationToken, () => _analyzeThreshold is { } threshold && Math.Max(document.Objectives.Count, document.CheckIns.Count) >= threshold).ConfigureAwait(false);
        progress?.Report(new ImportProgress(ImportStage.Committed, 1, 1));
    }

    /// <inheritdoc/>
    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default)
    {
        var sql = period is null ? Sql.ExportCheckIns : Sql.ExportPeriodCheckIns;
        return StoreRules.ComposeExportAsync(this, tenant, period, QueryAsync(sql, ReadCheckIn, cancellationToken, ("$t", Text(tenant)), ("$p", period?.ToString())), cancellationToken);
    }

    /// <summary>Versions read by <paramref name="sql"/> for these ids (absent ids left out).</summary>
    private static Dictionary<T, long> Versions<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, TenantId tenant, IEnumerable<T> ids, Func<string, T> parse)
        where T : notnull
    {
        var versions = new Dictionary<T, long>();
        using var read = Command(connection, transaction, sql, ("$t", Text(tenant)), ("$ids", Ids(ids.Select(i => i.ToString()!))));
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            versions[parse(reader.GetString(0))] = reader.GetInt64(1);
        }

        return versions;
    }

    private static List<Objective> LoadObjectives(SqliteConnection connection, SqliteTransaction transaction, TenantId tenant, IReadOnlyCollection<ObjectiveId> ids)
    {
        var found = new List<Objective>(ids.Count);
        using var read = Command(connection, transaction, Sql.ObjectivesById, ("$t", Text(tenant)), ("$ids", Ids(ids.Select(i => i.ToString()))));
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            found.Add(ReadObjective(reader));
        }

        return found;
    }

    private static PeriodContent Content(SqliteConnection connection, SqliteTransaction transaction, string tenant, PeriodId period)
    {
        using var read = Command(connection, transaction, PeriodContentSql, ("$t", tenant), ("$p", period.ToString()));
        using var reader = read.ExecuteReader();
        reader.Read();
        return new PeriodContent(reader.GetInt64(0), reader.GetInt64(1));
    }

    private static void UpsertPeriod(SqliteConnection connection, SqliteTransaction transaction, TenantId tenant, OkrPeriod period)
    {
        // The audit trail keeps the version this save replaces, in the same transaction.
        using (var keep = Command(connection, transaction, Sql.KeepPeriod, ("$t", Text(tenant)), ("$id", period.Id.ToString())))
        {
            keep.ExecuteNonQuery();
        }

        using var command = Command(
            connection,
            transaction,
            Sql.UpsertPeriod,
            ("$t", Text(tenant)),
            ("$id", period.Id.ToString()),
            ("$name", period.Name),
            ("$start", LocalDatePattern.Iso.Format(period.Dates.Start)),
            ("$end", LocalDatePattern.Iso.Format(period.Dates.End)),
            ("$state", (long)period.State),
            ("$reason", period.ReopenReason),
            ("$byk", (long?)period.UpdatedBy?.Kind),
            ("$byid", period.UpdatedBy?.ExternalId),
            ("$at", period.UpdatedAt is { } at ? OkrStoreFormat.ToUnixNanoseconds(at) : null),
            ("$version", period.Version));
        command.ExecuteNonQuery();
    }

    /// <summary>Writes an objective row and its key result index; the caller has checked the version.</summary>
    private static void PutObjective(SqliteConnection connection, SqliteTransaction transaction, TenantId tenant, Objective objective, bool exists)
    {
        var t = Text(tenant);
        var id = objective.Id.ToString();
        if (objective.KeyResults.Count > 0)
        {
            var ids = IdList(objective.KeyResults.Select(k => k.Id));
            using var taken = Command(connection, transaction, "SELECT id, objective_id FROM key_results WHERE tenant = $t AND id IN (SELECT value FROM json_each($ids)) AND objective_id <> $id LIMIT 1", ("$t", t), ("$ids", ids), ("$id", id));
            using var reader = taken.ExecuteReader();
            if (reader.Read())
            {
                throw StoreRules.KeyResultTaken(KeyResultId.Parse(reader.GetString(0)), ObjectiveId.Parse(reader.GetString(1)));
            }
        }

        var parameters = new (string, object?)[]
        {
            ("$t", t), ("$id", id), ("$period", objective.PeriodId.ToString()), ("$ok", (long)objective.Owner.Kind), ("$oid", objective.Owner.ExternalId),
            ("$state", (long)objective.State), ("$version", objective.Version), ("$body", OkrJson.SerializeObjective(objective)),
        };
        if (exists)
        {
            // The audit trail keeps the version this write replaces, in the same transaction.
            using var keep = Command(connection, transaction, Sql.KeepObjective, ("$t", t), ("$id", id));
            keep.ExecuteNonQuery();
        }

        using (var write = Command(
            connection,
            transaction,
            exists ? Sql.UpdateObjective : Sql.InsertObjective,
            parameters))
        {
            write.ExecuteNonQuery();
        }

        using (var clear = Command(connection, transaction, Sql.DeleteKeyResults, ("$t", t), ("$id", id)))
        {
            clear.ExecuteNonQuery();
        }

        using var insert = Command(connection, transaction, "INSERT INTO key_results (tenant, id, objective_id) VALUES ($t, $kr, $id)", ("$t", t), ("$kr", null), ("$id", id));
        foreach (var kr in objective.KeyResults)
        {
            insert.Parameters["$kr"].Value = kr.Id.ToString();
            insert.ExecuteNonQuery();
        }

        // The alignment index: this objective's links, parent to child.
        if (exists)
        {
            using var unlink = Command(connection, transaction, Sql.DeleteAlignments, ("$t", t), ("$id", id));
            unlink.ExecuteNonQuery();
        }

        if (objective.Alignments.Count > 0)
        {
            using var link = Command(connection, transaction, "INSERT OR IGNORE INTO alignments (tenant, parent_id, child_id) SELECT $t, value, $id FROM json_each($parents)", ("$t", t), ("$id", id), ("$parents", Ids(objective.Alignments.Select(a => a.ParentObjectiveId.ToString()))));
            link.ExecuteNonQuery();
        }
    }

    /// <summary>Appends check-ins inside the caller's transaction: identical ones are skipped, clashing ones throw.</summary>
    private static int Append(SqliteConnection connection, SqliteTransaction transaction, TenantId tenant, IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken, ISet<CheckInId>? skipped = null)
    {
        var fresh = new HashSet<CheckInId>();
        var touched = new HashSet<KeyResultId>();
        using var insert = Command(
            connection,
            transaction,
            $"INSERT INTO check_ins (tenant, {CheckInColumns}) VALUES ($t, $id, $kr, $value, $ak, $aid, $eff, $rec, $conf, $note, $corr) ON CONFLICT (tenant, id) DO NOTHING",
            ("$t", Text(tenant)), ("$id", null), ("$kr", null), ("$value", null), ("$ak", null), ("$aid", null), ("$eff", null), ("$rec", null), ("$conf", null), ("$note", null), ("$corr", null));
        insert.Prepare();
        var p = insert.Parameters;
        var added = 0;
        for (var i = 0; i < checkIns.Count; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var c = checkIns[i];
            ArgumentNullException.ThrowIfNull(c, nameof(checkIns));
            p["$id"].Value = c.Id.ToString();
            p["$kr"].Value = c.KeyResultId.ToString();
            p["$value"].Value = OkrStoreFormat.FormatDecimal(c.Value);
            p["$ak"].Value = (long)c.Author.Kind;
            p["$aid"].Value = c.Author.ExternalId;
            p["$eff"].Value = Nanos(c.EffectiveAt);
            p["$rec"].Value = Nanos(c.RecordedAt);
            p["$conf"].Value = c.Confidence is { } confidence ? confidence.Value : DBNull.Value;
            p["$note"].Value = c.Note;
            p["$corr"].Value = c.Corrects is { } corrects ? corrects.ToString() : DBNull.Value;
            if (insert.ExecuteNonQuery() == 1)
            {
                added++;
                fresh.Add(c.Id);
                touched.Add(c.KeyResultId);
                continue;
            }

            if (!fresh.Contains(c.Id))
            {
                skipped?.Add(c.Id);
            }

            using var existing = Command(connection, transaction, $"SELECT {CheckInColumns} FROM check_ins WHERE tenant = $t AND id = $id", ("$t", Text(tenant)), ("$id", c.Id.ToString()));
            using var reader = existing.ExecuteReader();
            reader.Read();
            StoreRules.CheckSameCheckIn(ReadCheckIn(reader), c);
        }

        RefreshValues(connection, transaction, tenant, touched);
        return added;
    }

    /// <summary>
    /// Keeps the current value of key results that gained check-ins, in the append's transaction: the one writer of
    /// the file recomputes each from its history index (a walk that stops at the first check-in not corrected).
    /// </summary>
    private static void RefreshValues(SqliteConnection connection, SqliteTransaction transaction, TenantId tenant, HashSet<KeyResultId> keyResults)
    {
        if (keyResults.Count == 0)
        {
            return;
        }

        var t = Text(tenant);
        var ids = IdList(keyResults);
        using var ensure = Command(connection, transaction, "INSERT INTO key_result_values (tenant, kr_id, last_recorded_at) SELECT $t, value, 0 FROM json_each($krs) WHERE true ON CONFLICT (tenant, kr_id) DO NOTHING", ("$t", t), ("$krs", ids));
        ensure.ExecuteNonQuery();
        using var refresh = Command(connection, transaction, Sql.RefreshValues, ("$t", t), ("$krs", ids));
        refresh.ExecuteNonQuery();
    }

    /// <summary>The store's operations inside one write transaction, for the shared commit algorithm.</summary>
    private sealed class TransactionTarget(SqliteConnection connection, SqliteTransaction transaction, TenantId tenant, CancellationToken token) : IOkrCommitTarget
    {
        // SQLite has one writer per file: BEGIN IMMEDIATE already holds what a row lock would, so the lock mode is not needed.
        public ValueTask<IReadOnlyDictionary<PeriodId, long>> PeriodVersionsAsync(IReadOnlyList<PeriodId> ids, bool exclusive, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<PeriodId, long>>(Versions(connection, transaction, Sql.PeriodVersions(exclusive), tenant, ids, PeriodId.Parse));

        public ValueTask<IReadOnlyDictionary<ObjectiveId, long>> ObjectiveVersionsAsync(IReadOnlyList<ObjectiveId> ids, bool exclusive, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<ObjectiveId, long>>(Versions(connection, transaction, Sql.ObjectiveVersions(exclusive), tenant, ids, ObjectiveId.Parse));

        public ValueTask<PeriodContent> CountAsync(PeriodId period, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Content(connection, transaction, Text(tenant), period));

        public ValueTask<long> CountCheckInsAsync(KeyResultId keyResult, CancellationToken cancellationToken)
        {
            using var count = Command(connection, transaction, CountCheckInsSql, ("$t", Text(tenant)), ("$kr", keyResult.ToString()));
            return ValueTask.FromResult((long)count.ExecuteScalar()!);
        }

        public ValueTask<long> CountPeriodsAsync(CancellationToken cancellationToken)
        {
            using var count = Command(connection, transaction, "SELECT count(*) FROM periods WHERE tenant = $t", ("$t", Text(tenant)));
            return ValueTask.FromResult((long)count.ExecuteScalar()!);
        }

        public ValueTask WritePeriodAsync(OkrPeriod period, bool exists, CancellationToken cancellationToken)
        {
            UpsertPeriod(connection, transaction, tenant, period);
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteObjectivesAsync(IReadOnlyList<Objective> objectives, IReadOnlyList<bool> exist, CancellationToken cancellationToken)
        {
            for (var i = 0; i < objectives.Count; i++)
            {
                PutObjective(connection, transaction, tenant, objectives[i], exist[i]);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<int> AppendAsync(IReadOnlyList<CheckIn> checkIns, ISet<CheckInId> skipped, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Append(connection, transaction, tenant, checkIns, token, skipped));

        public ValueTask<long> ReserveSequenceAsync(int count, CancellationToken cancellationToken)
        {
            using var reserve = Command(connection, transaction, Sql.ReserveSequence, ("$t", Text(tenant)), ("$n", (long)count), ("$due", Nanos(OkrStoreFormat.MinInstant)));
            return ValueTask.FromResult((long)reserve.ExecuteScalar()! - count + 1);
        }

        public ValueTask WriteEventsAsync(IReadOnlyList<OkrEvent> events, CancellationToken cancellationToken)
        {
            using var insert = Command(connection, transaction, Sql.InsertEvent, ("$t", Text(tenant)), ("$seq", null), ("$id", null), ("$type", null), ("$at", null), ("$ak", null), ("$aid", null), ("$data", null));
            insert.Prepare();
            var p = insert.Parameters;
            foreach (var e in events)
            {
                p["$seq"].Value = e.Sequence;
                p["$id"].Value = e.Id.ToString();
                p["$type"].Value = e.Type;
                p["$at"].Value = Nanos(e.OccurredAt);
                p["$ak"].Value = e.Actor is { } actor ? (long)actor.Kind : DBNull.Value;
                p["$aid"].Value = e.Actor is { } by ? by.ExternalId : DBNull.Value;
                p["$data"].Value = e.Data;
                insert.ExecuteNonQuery();
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckLease(owner, duration, maxTenants, tenants);
        var token = Guid.NewGuid();
        var until = now + duration;
        var leases = new List<OkrEventLease>();
        await WriteAsync((connection, transaction) =>
        {
            // One writer at a time (BEGIN IMMEDIATE): no other dispatcher can lease the same stream in between.
            using var lease = Command(
                connection,
                transaction,
                tenants is null ? Sql.LeaseStreams : Sql.LeaseStreamsOf,
                ("$token", token.ToString()),
                ("$owner", owner),
                ("$until", Nanos(until)),
                ("$now", Nanos(now)),
                ("$n", (long)maxTenants),
                ("$tenants", tenants is null ? null : Ids(tenants.Select(t => t.ToString()))));
            using var rows = lease.ExecuteReader();
            while (rows.Read())
            {
                leases.Add(new OkrEventLease(TenantId.Parse(rows.GetString(0)), token, owner, rows.GetInt64(1), rows.GetInt64(2), (int)rows.GetInt64(3), until));
            }
        }, cancellationToken).ConfigureAwait(false);
        return leases;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckEventPage(afterSequence, limit);
        var events = new List<OkrEvent>();
        await foreach (var e in QueryAsync(Sql.ReadEvents, r => RelationalRows.Event(r, tenant), cancellationToken, ("$t", Text(tenant)), ("$after", afterSequence), ("$n", (long)limit)).ConfigureAwait(false))
        {
            events.Add(e);
        }

        return events;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await LeasedAsync(lease, Sql.AcknowledgeStream, cancellationToken, ("$through", throughSequence), ("$until", Nanos(leaseUntil))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return failure is null
            ? await LeasedAsync(lease, Sql.ReleaseStream, cancellationToken).ConfigureAwait(false)
            : await LeasedAsync(lease, Sql.FailStream, cancellationToken, ("$retry", Nanos(failure.RetryAt)), ("$error", failure.Error)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default)
    {
        long pruned = 0;
        await WriteAsync((connection, transaction) =>
        {
            using var prune = Command(connection, transaction, Sql.PruneEvents, ("$before", Nanos(occurredBefore)));
            pruned = prune.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        return pruned;
    }

    /// <inheritdoc/>
    public async ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        await foreach (var state in QueryAsync(Sql.StreamState, r => RelationalRows.Stream(r, tenant), cancellationToken, ("$t", Text(tenant))).ConfigureAwait(false))
        {
            return state;
        }

        return null;
    }

    private async ValueTask<bool> LeasedAsync(OkrEventLease lease, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var changed = 0;
        await WriteAsync((connection, transaction) =>
        {
            using var update = Command(connection, transaction, sql, [("$t", Text(lease.Tenant)), ("$token", lease.Token.ToString()), .. parameters]);
            changed = update.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    private async Task WriteAsync(Action<SqliteConnection, SqliteTransaction> write, CancellationToken cancellationToken, Func<bool>? optimize = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await _migrated.Value.ConfigureAwait(false);
        if (_bound is { } bound)
        {
            // The host's transaction: no gate (it may hold the file's write lock already), a savepoint per unit.
            var host = bound.Connection ?? throw new InvalidOperationException("The host's transaction has completed: the store bound to it can no longer be used.");
            bound.Save("okr_unit");
            try
            {
                write(host, bound);
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch
            {
                bound.Rollback("okr_unit");
                throw;
            }

            bound.Release("okr_unit");
            return;
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // IMMEDIATE takes the write lock up front, so writers from other processes queue instead of deadlocking on upgrade.
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                write(connection, transaction);
                cancellationToken.ThrowIfCancellationRequested();
                transaction.Commit();
            }

            if (optimize?.Invoke() == true)
            {
                Optimize(connection);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Brings the query planner's statistics up to date after a large committed write: <c>PRAGMA optimize</c> over every
    /// table (0x10000), analysing those whose size changed enough (SQLite bounds each analysis). After the commit and
    /// inside the write gate; a failure leaves the statistics as they were and the write committed.
    /// </summary>
    private static void Optimize(SqliteConnection connection)
    {
        try
        {
            using var optimize = Command(connection, null, "PRAGMA optimize=0x10002;");
            optimize.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // The write is committed; statistics are an optimisation.
        }
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await _migrated.Value.ConfigureAwait(false);
        using var own = _bound is null ? new SqliteConnection(_connectionString) : null;
        if (own is not null)
        {
            await own.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        using var command = Command(own ?? _bound!.Connection!, _bound, sql, parameters);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return read(reader);
        }
    }

    /// <summary>
    /// Lists objectives with the reading of rows and the decoding of bodies overlapped: a reader task fetches
    /// bodies in chunks (at most <see cref="ReadAheadChunks"/> ahead) while the caller's thread decodes.
    /// The statement sees one snapshot either way; stopping the enumeration early stops the reader task.
    /// </summary>
    private async IAsyncEnumerable<Objective> ReadObjectivesAheadAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        if (_bound is not null)
        {
            // On the host's connection, one statement at a time: no reader of our own beside it.
            await foreach (var o in QueryAsync(sql, static r => OkrJson.DeserializeObjective(r.GetFieldValue<byte[]>(0)), cancellationToken, parameters).ConfigureAwait(false))
            {
                yield return o;
            }

            yield break;
        }

        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await _migrated.Value.ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = Channel.CreateBounded<byte[][]>(new BoundedChannelOptions(ReadAheadChunks) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadBodiesAsync(sql, parameters, chunks.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var body in chunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return OkrJson.DeserializeObjective(body);
                }
            }

            // The reader completes the channel with its error, if any; this surfaces it.
            await reader.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReadBodiesAsync(string sql, (string Name, object? Value)[] parameters, ChannelWriter<byte[][]> writer, CancellationToken cancellationToken)
    {
        try
        {
            var connection = new SqliteConnection(_connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using var command = Command(connection, null, sql, parameters);
                using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var chunk = new List<byte[]>(ReadAheadChunkRows);
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    chunk.Add(rows.GetFieldValue<byte[]>(0));
                    if (chunk.Count == ReadAheadChunkRows)
                    {
                        await writer.WriteAsync([.. chunk], cancellationToken).ConfigureAwait(false);
                        chunk.Clear();
                    }
                }

                if (chunk.Count > 0)
                {
                    await writer.WriteAsync([.. chunk], cancellationToken).ConfigureAwait(false);
                }
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return command;
    }

    private static OkrPeriod ReadPeriod(SqliteDataReader r) => RelationalRows.Period(r);

    // The body is read as its UTF-8 bytes: no UTF-16 string in between.
    /// <summary>Key result ids as the one JSON array parameter that <c>json_each</c> reads.</summary>
    private static string IdList(IEnumerable<KeyResultId> ids) => Ids(ids.Select(k => k.ToString()));

    /// <summary>Ids as the one JSON array parameter that <c>json_each</c> reads.</summary>
    private static string Ids(IEnumerable<string> ids) => JsonSerializer.Serialize(ids.ToArray(), SqliteJsonContext.Default.StringArray);

    private static Objective ReadObjective(SqliteDataReader r) => OkrJson.DeserializeObjective(r.GetFieldValue<byte[]>(0));

    private static CheckIn ReadCheckIn(SqliteDataReader r) => RelationalRows.CheckIn(r, static (reader, i) => OkrStoreFormat.ParseDecimal(reader.GetString(i)));

    private static string Text(TenantId tenant)
    {
        StoreRules.RequireTenant(tenant);
        return tenant.ToString();
    }

    private static long Nanos(Instant instant) => OkrStoreFormat.ToUnixNanoseconds(instant);
}
