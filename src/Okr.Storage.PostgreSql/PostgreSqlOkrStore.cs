using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Okr.Storage.Relational;

namespace Okr.Storage.PostgreSql;

/// <summary>
/// An <see cref="IOkrStore"/> on PostgreSQL for many application instances sharing one database.
/// The schema is created or migrated on first use under an advisory lock; every key and index starts
/// with the tenant; every statement is parameterised; optimistic concurrency is a conditional
/// <c>UPDATE … WHERE version = @expected</c>; large check-in batches and imports go through binary COPY.
/// </summary>
public sealed class PostgreSqlOkrStore : IOkrStore, IOkrEventOutbox, IOkrStoreHealth, IOkrStoreMigration, IAsyncDisposable, IDisposable
{
    /// <summary>The statements the two SQL stores share, in PostgreSQL's form (<c>okr_</c> tables, <c>@</c> parameters).</summary>
    private static readonly RelationalSql Sql = new("okr_", '@', "= ANY(@{0})", locksRows: true, keyedTenant: KeyedTenant, subqueryFence: " OFFSET 0");

    private const string CheckInColumns = RelationalSql.CheckInColumns;


    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly int _copyThreshold;
    private readonly int? _analyzeThreshold;
    private readonly RetriedInitialization _migrated;

    /// <summary>Whether the data source's connections join an ambient <c>TransactionScope</c> (Npgsql's <c>Enlist</c>, on by default).</summary>
    private readonly bool _enlists;

    /// <summary>The host's connection and transaction every call of this instance runs in (<see cref="WithTransaction"/>); null: the store's own.</summary>
    private readonly NpgsqlTransaction? _bound;

    /// <summary>Creates the store; the schema is created or migrated on first use.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="OkrValidationException">The settings are invalid.</exception>
    public PostgreSqlOkrStore(PostgreSqlOkrStoreOptions options)
        : this(Validated(options), NpgsqlDataSource.Create(options.ConnectionString), ownsDataSource: true)
    {
    }

    /// <summary>Creates the store for a connection string.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <exception cref="OkrValidationException">The connection string is invalid.</exception>
    public PostgreSqlOkrStore(string connectionString)
        : this(new PostgreSqlOkrStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Creates the store on a data source the host owns (and disposes).</summary>
    /// <param name="dataSource">The Npgsql data source.</param>
    /// <param name="copyThreshold">Batches of at least this many check-ins use binary COPY.</param>
    public PostgreSqlOkrStore(NpgsqlDataSource dataSource, int copyThreshold = 32)
        : this(new PostgreSqlOkrStoreOptions { ConnectionString = "Host=unused", CopyThreshold = copyThreshold }, dataSource, ownsDataSource: false)
    {
    }

    private PostgreSqlOkrStore(PostgreSqlOkrStoreOptions options, NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options.Validate();
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _copyThreshold = options.CopyThreshold;
        _analyzeThreshold = options.AnalyzeThreshold;
        _enlists = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Enlist;
        _migrated = new RetriedInitialization(() => options.AutoMigrate
            ? PostgreSqlSchema.MigrateAsync(_dataSource, CancellationToken.None)
            : PostgreSqlSchema.RequireCurrentAsync(_dataSource, CancellationToken.None));
    }

    private PostgreSqlOkrStore(PostgreSqlOkrStore store, NpgsqlTransaction transaction)
    {
        _dataSource = store._dataSource;
        _ownsDataSource = false;
        _copyThreshold = store._copyThreshold;
        _analyzeThreshold = store._analyzeThreshold;
        _migrated = store._migrated;
        _enlists = store._enlists;
        _bound = transaction;
    }

    /// <summary>
    /// The same store running every call on a connection and in a transaction the host already holds, so an OKR write and
    /// the host's own writes commit or roll back together: <c>var okr = new OkrService(store.WithTransaction(tx), clock)</c>.
    /// Each unit of work runs inside a savepoint of that transaction: one that fails (a broken rule, a lost race) is rolled
    /// back to it and leaves the host's transaction usable, with nothing of it written. The store never commits, rolls
    /// back or disposes the host's transaction; reads see its uncommitted writes. Like the connection, the returned store
    /// serves one call at a time. Statistics after a large write are left to autovacuum. The schema is migrated (when
    /// <see cref="PostgreSqlOkrStoreOptions.AutoMigrate"/> is on) on a connection of the store's own.
    /// </summary>
    /// <param name="transaction">An open transaction on an open connection to the store's database.</param>
    /// <returns>A store bound to the transaction; disposing it disposes nothing.</returns>
    /// <exception cref="ArgumentException">The transaction's connection is not open.</exception>
    public PostgreSqlOkrStore WithTransaction(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Connection is not { State: System.Data.ConnectionState.Open })
        {
            throw new ArgumentException("The transaction's connection must be open.", nameof(transaction));
        }

        return new PostgreSqlOkrStore(this, transaction);
    }

    /// <summary>The schema version this version of the store writes (and, with <see cref="PostgreSqlOkrStoreOptions.AutoMigrate"/> off, requires).</summary>
    public static int SchemaVersion => PostgreSqlSchema.CurrentVersion;

    /// <summary>
    /// The SQL that migrates a database from <paramref name="fromVersion"/> to <see cref="SchemaVersion"/>: what the store
    /// runs itself when <see cref="PostgreSqlOkrStoreOptions.AutoMigrate"/> is on, as one script a DBA can review and
    /// run (psql, any client) under a role that may create tables. One transaction, the store's advisory lock, and a
    /// guard that stops it on a database at another version than <paramref name="fromVersion"/>.
    /// </summary>
    /// <param name="fromVersion">The database's version now: 0 for an empty database.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is negative or above <see cref="SchemaVersion"/>.</exception>
    public static string MigrationScript(int fromVersion = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromVersion, SchemaVersion);
        return PostgreSqlSchema.Script(fromVersion, SchemaVersion);
    }

    /// <summary>
    /// Starts the store now rather than on first use: with <see cref="PostgreSqlOkrStoreOptions.AutoMigrate"/> on (the
    /// default) it creates or migrates the schema, safe when many instances start at once; with it off it checks that the
    /// database is at <see cref="SchemaVersion"/> and fails naming the script to run. A failure is not remembered: the next
    /// call tries again.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="InvalidOperationException">Automatic migration is off and the database is at another version.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _migrated.Value.WaitAsync(cancellationToken);

    /// <summary>
    /// Migrates the schema to <see cref="SchemaVersion"/> now, whatever <see cref="PostgreSqlOkrStoreOptions.AutoMigrate"/>
    /// says: for a deployment step or a start-up task run with a role that may create tables. Safe when many instances
    /// run it at once (an advisory lock: one migrates, the others find nothing to do).
    /// </summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await PostgreSqlSchema.MigrateAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// When the check cannot reach the server it empties the connection pool and tries once more, so connections
    /// broken by a server restart do not report the restarted server as down.
    /// </remarks>
    public async ValueTask<OkrStoreHealthReport> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var expected = PostgreSqlSchema.CurrentVersion;
        var b = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        var where = $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _migrated.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                int version;
                await using (connection.ConfigureAwait(false))
                {
                    using var read = new NpgsqlCommand("SELECT version FROM okr_schema", connection);
                    version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                }

                return version == expected
                    ? new OkrStoreHealthReport(true, $"{where} at schema version {version}.", version, expected)
                    : new OkrStoreHealthReport(false, $"{where} is at schema version {version}; this library writes {expected}.", version, expected);
            }
            catch (NpgsqlException ex) when (attempt == 1 && (ex is not PostgresException pg || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown))
            {
                // A pooled connection the server closed (it stopped or restarted since): empty the pool and ask once more.
                _dataSource.Clear();
            }
#pragma warning disable CA1031 // A health check reports every failure instead of throwing it.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                return new OkrStoreHealthReport(false, $"{where} cannot be used: {ex.Message}", null, expected, ex);
            }
        }
    }

    /// <summary>Disposes the data source the store created (never one the host passed in).</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One transaction at READ COMMITTED. It first locks the rows of every period and objective the unit depends on,
    /// periods then objectives, each in id order: <c>FOR UPDATE</c> when the unit writes rows of that table (or, for
    /// periods, counts their content), <c>FOR SHARE</c> otherwise, so check-ins that only expect a period commit side
    /// by side while a close waits for them and they for it. With the rows locked, the versions and counts it checks
    /// cannot change before it commits. A unique-key race, a serialization failure or a deadlock becomes
    /// <see cref="OkrConcurrencyException"/>.
    /// </remarks>
    public async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckChangeSet(tenant, changes);
        OkrCommitResult? result = null;
        try
        {
            await WriteAsync(async (connection, transaction) => result = await StoreRules.CommitAsync(changes, new TransactionTarget(this, connection, transaction, tenant), cancellationToken).ConfigureAwait(false), cancellationToken, () => TablesToAnalyze(changes, result)).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
        {
            throw new OkrConcurrencyException($"Another writer changed the same data at the same moment ({ex.SqlState} {ex.ConstraintName}); nothing was written. Read again and retry.", 0, null);
        }

        return result!;
    }

    /// <inheritdoc/>
    public async ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        await foreach (var content in QueryAsync(PeriodContentSql, r => new PeriodContent(r.GetInt64(0), r.GetInt64(1)), cancellationToken, ("t", T(tenant)), ("p", period.Value)).ConfigureAwait(false))
        {
            return content;
        }

        return default;
    }

    /// <summary>The store's operations inside one write transaction, for the shared commit algorithm.</summary>
    private sealed class TransactionTarget(PostgreSqlOkrStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant) : IOkrCommitTarget
    {
        public async ValueTask<IReadOnlyDictionary<PeriodId, long>> PeriodVersionsAsync(IReadOnlyList<PeriodId> ids, bool exclusive, CancellationToken cancellationToken)
        {
            var versions = await LockVersionsAsync(connection, transaction, Sql.PeriodVersions(exclusive), tenant, [.. ids.Select(i => i.Value)], cancellationToken).ConfigureAwait(false);
            return versions.ToDictionary(v => new PeriodId(v.Key), v => v.Value);
        }

        public async ValueTask<IReadOnlyDictionary<ObjectiveId, long>> ObjectiveVersionsAsync(IReadOnlyList<ObjectiveId> ids, bool exclusive, CancellationToken cancellationToken)
        {
            var versions = await LockVersionsAsync(connection, transaction, Sql.ObjectiveVersions(exclusive), tenant, [.. ids.Select(i => i.Value)], cancellationToken).ConfigureAwait(false);
            return versions.ToDictionary(v => new ObjectiveId(v.Key), v => v.Value);
        }

        public async ValueTask<long> CountPeriodsAsync(CancellationToken cancellationToken)
        {
            var count = Command(connection, transaction, CountPeriodsSql, ("t", tenant.Value));
            await using (count.ConfigureAwait(false))
            {
                return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
        }

        public async ValueTask<long> CountCheckInsAsync(KeyResultId keyResult, CancellationToken cancellationToken)
        {
            // The row an append of the key result locks (RefreshValues), created if missing; the count, a statement
            // after it, sees every append committed before the lock was granted, and later ones wait for this unit.
            await Execute(connection, transaction, LockValueSql, cancellationToken, ("t", tenant.Value), ("kr", keyResult.Value)).ConfigureAwait(false);
            var count = Command(connection, transaction, CountCheckInsSql, ("t", tenant.Value), ("kr", keyResult.Value));
            await using (count.ConfigureAwait(false))
            {
                return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
        }

        public async ValueTask<PeriodContent> CountAsync(PeriodId period, CancellationToken cancellationToken)
        {
            var read = Command(connection, transaction, PeriodContentSql, ("t", tenant.Value), ("p", period.Value));
            await using (read.ConfigureAwait(false))
            {
                var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    return new PeriodContent(reader.GetInt64(0), reader.GetInt64(1));
                }
            }
        }

        public async ValueTask WritePeriodAsync(OkrPeriod period, bool exists, CancellationToken cancellationToken) =>
            await UpsertPeriod(connection, transaction, tenant, period, cancellationToken).ConfigureAwait(false);

        public async ValueTask WriteObjectivesAsync(IReadOnlyList<Objective> objectives, IReadOnlyList<bool> exist, CancellationToken cancellationToken)
        {
            if (objectives.Count >= store._copyThreshold)
            {
                // Many objectives (a period's close): with every row locked and checked, write them set-wise through
                // COPY and staging tables, as an import does, instead of four statements each; the key-result index is
                // left alone when every objective keeps the key results stored for it.
                var allStored = !exist.Contains(false);
                var keyResultsStored = allStored && await KeyResultsStoredAsync(connection, transaction, tenant, objectives, cancellationToken).ConfigureAwait(false);
                await ImportObjectives(connection, transaction, tenant, objectives, null, cancellationToken, fresh: exist.Contains(true) ? false : null, keyResultsStored).ConfigureAwait(false);
                return;
            }

            for (var i = 0; i < objectives.Count; i++)
            {
                await PutObjective(connection, transaction, tenant, objectives[i], exist[i], cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask<int> AppendAsync(IReadOnlyList<CheckIn> checkIns, ISet<CheckInId> skipped, CancellationToken cancellationToken) =>
            await store.Append(connection, transaction, tenant, checkIns, cancellationToken, skipped: skipped).ConfigureAwait(false);

        public async ValueTask<long> ReserveSequenceAsync(int count, CancellationToken cancellationToken)
        {
            // Locks the tenant's stream row until commit, so numbers are taken in commit order.
            var reserve = Command(connection, transaction, Sql.ReserveSequence, ("t", T(tenant)), ("n", (long)count), ("due", Nanos(OkrStoreFormat.MinInstant)));
            await using (reserve.ConfigureAwait(false))
            {
                return (long)(await reserve.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! - count + 1;
            }
        }

        public async ValueTask WriteEventsAsync(IReadOnlyList<OkrEvent> events, CancellationToken cancellationToken)
        {
            if (events.Count >= store._copyThreshold)
            {
                await CopyEventsAsync(events, cancellationToken).ConfigureAwait(false);
                return;
            }

            // One statement for the whole unit.
            await Execute(
                connection,
                transaction,
                "INSERT INTO okr_events (tenant, sequence, id, type, occurred_at, actor_kind, actor_id, data) SELECT @t, * FROM unnest(@seq, @ids, @types, @at, @ak, @aid, @data)",
                cancellationToken,
                ("t", T(tenant)),
                ("seq", events.Select(e => e.Sequence).ToArray()),
                ("ids", events.Select(e => e.Id).ToArray()),
                ("types", events.Select(e => e.Type).ToArray()),
                ("at", events.Select(e => Nanos(e.OccurredAt)).ToArray()),
                ("ak", events.Select(e => e.Actor is { } a ? (short?)a.Kind : null).ToArray()),
                ("aid", events.Select(e => e.Actor?.ExternalId).ToArray()),
                ("data", events.Select(e => e.Data).ToArray())).ConfigureAwait(false);
        }

        /// <summary>Many events (a large batch of check-ins): one binary COPY straight into the table.</summary>
        private async Task CopyEventsAsync(IReadOnlyList<OkrEvent> events, CancellationToken cancellationToken)
        {
            var copy = await connection.BeginBinaryImportAsync("COPY okr_events (tenant, sequence, id, type, occurred_at, actor_kind, actor_id, data) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            await using (copy.ConfigureAwait(false))
            {
                var t = T(tenant);
                foreach (var e in events)
                {
                    await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(t, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(e.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(Nanos(e.OccurredAt), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    if (e.Actor is { } actor)
                    {
                        await copy.WriteAsync((short)actor.Kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                        await copy.WriteAsync(actor.ExternalId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await copy.WriteAsync(e.Data, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                }

                await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckLease(owner, duration, maxTenants, tenants);
        var token = Guid.NewGuid();
        var until = now + duration;
        var leases = new List<OkrEventLease>();
        await WriteAsync(
            async (connection, transaction) =>
            {
                // FOR UPDATE SKIP LOCKED: streams another dispatcher is leasing, or a writer is appending to, are skipped.
                var lease = Command(
                    connection,
                    transaction,
                    tenants is null ? Sql.LeaseStreams : Sql.LeaseStreamsOf,
                    ("token", token),
                    ("owner", owner),
                    ("until", Nanos(until)),
                    ("now", Nanos(now)),
                    ("n", maxTenants),
                    ("tenants", tenants?.Select(t => t.Value).ToArray()));
                await using (lease.ConfigureAwait(false))
                {
                    var rows = await lease.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (rows.ConfigureAwait(false))
                    {
                        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            leases.Add(new OkrEventLease(new TenantId(rows.GetGuid(0)), token, owner, rows.GetInt64(1), rows.GetInt64(2), rows.GetInt32(3), until));
                        }
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
        return leases;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckEventPage(afterSequence, limit);
        var events = new List<OkrEvent>();
        await foreach (var e in QueryAsync(Sql.ReadEvents, r => RelationalRows.Event(r, tenant), cancellationToken, ("t", T(tenant)), ("after", afterSequence), ("n", limit)).ConfigureAwait(false))
        {
            events.Add(e);
        }

        return events;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await LeasedAsync(lease, Sql.AcknowledgeStream, cancellationToken, ("through", throughSequence), ("until", Nanos(leaseUntil))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return failure is null
            ? await LeasedAsync(lease, Sql.ReleaseStream, cancellationToken).ConfigureAwait(false)
            : await LeasedAsync(lease, Sql.FailStream, cancellationToken, ("retry", Nanos(failure.RetryAt)), ("error", failure.Error)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default)
    {
        long pruned = 0;
        await WriteAsync(async (connection, transaction) => pruned = await Execute(connection, transaction, Sql.PruneEvents, cancellationToken, ("before", Nanos(occurredBefore))).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return pruned;
    }

    /// <inheritdoc/>
    public async ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        await foreach (var state in QueryAsync(Sql.StreamState, r => RelationalRows.Stream(r, tenant), cancellationToken, ("t", T(tenant))).ConfigureAwait(false))
        {
            return state;
        }

        return null;
    }

    private async ValueTask<bool> LeasedAsync(OkrEventLease lease, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var changed = 0;
        await WriteAsync(async (connection, transaction) => changed = await Execute(connection, transaction, sql, cancellationToken, [("t", T(lease.Tenant)), ("token", lease.Token), .. parameters]).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    private static async ValueTask<IReadOnlyList<Objective>> LoadObjectivesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken)
    {
        var found = new List<Objective>(ids.Count);
        var read = Command(connection, transaction, Sql.ObjectivesById + Sql.Lock(exclusive: false), ("t", T(tenant)), ("ids", ids.Select(i => i.Value).ToArray()));
        await using (read.ConfigureAwait(false))
        {
            var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(ReadObjective(reader));
                }
            }
        }

        return found;
    }

    /// <summary>Locks the rows of <paramref name="ids"/> in id order and returns their versions (absent ids are left out).</summary>
    private static async Task<Dictionary<Guid, long>> LockVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, TenantId tenant, Guid[] ids, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<Guid, long>(ids.Length);
        if (ids.Length == 0)
        {
            return versions;
        }

        var read = Command(connection, transaction, sql, ("t", T(tenant)), ("ids", ids));
        await using (read.ConfigureAwait(false))
        {
            var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    versions[reader.GetGuid(0)] = reader.GetInt64(1);
                }
            }
        }

        return versions;
    }

    /// <summary>Inserts an objective, or replaces the locked row keeping the replaced version in the audit trail; then its key result index.</summary>
    private static async Task PutObjective(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, Objective stored, bool exists, CancellationToken cancellationToken)
    {
        var (insert, keep, update) = (Sql.InsertObjective, Sql.KeepObjective, Sql.UpdateObjective);
        var parameters = ObjectiveParameters(tenant, stored).ToArray();
        if (exists)
        {
            await Execute(connection, transaction, keep, cancellationToken, parameters).ConfigureAwait(false);
            await Execute(connection, transaction, update, cancellationToken, parameters).ConfigureAwait(false);
        }
        else
        {
            // A concurrent insert of the same id fails this one with a unique violation: a concurrency error.
            await Execute(connection, transaction, insert, cancellationToken, parameters).ConfigureAwait(false);
        }

        await PutKeyResults(connection, transaction, tenant, stored, cancellationToken).ConfigureAwait(false);
        if (exists)
        {
            await Execute(connection, transaction, Sql.DeleteAlignments, cancellationToken, ("t", T(tenant)), ("id", stored.Id.Value)).ConfigureAwait(false);
        }

        await InsertAlignments(connection, transaction, tenant, [stored], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default)
    {
        await foreach (var p in QueryAsync(Sql.GetPeriod, ReadPeriod, cancellationToken, ("t", T(tenant)), ("id", id.Value)).ConfigureAwait(false))
        {
            return p;
        }

        return null;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.ListPeriods, ReadPeriod, cancellationToken, ("t", T(tenant)));

    /// <inheritdoc/>
    public async ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        await foreach (var o in QueryAsync(Sql.GetObjective, ReadObjective, cancellationToken, ("t", T(tenant)), ("id", id.Value)).ConfigureAwait(false))
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
            await foreach (var o in QueryAsync(Sql.ObjectivesById, ReadObjective, cancellationToken, ("t", T(tenant)), ("ids", ids.Select(i => i.Value).Distinct().ToArray())).ConfigureAwait(false))
            {
                found.Add(o);
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public async ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        await foreach (var o in QueryAsync(FindObjectiveByKeyResultSql, ReadObjective, cancellationToken, ("t", T(tenant)), ("kr", keyResult.Value)).ConfigureAwait(false))
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

        await foreach (var o in QueryAsync(Sql.FindLastHolder, ReadObjective, cancellationToken, ("t", T(tenant)), ("pattern", $"%{{\"id\":\"{keyResult}\"%")).ConfigureAwait(false))
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
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<KeyResultId, Objective>(keyResults.Count);
        if (keyResults.Count == 0)
        {
            return found;
        }

        // Each objective once, however many of its key results were asked for.
        var asked = keyResults as IReadOnlySet<KeyResultId> ?? keyResults.ToHashSet();
        await foreach (var o in QueryAsync(FindObjectivesByKeyResultsSql, ReadObjective, cancellationToken, ("t", T(tenant)), ("krs", keyResults.Select(k => k.Value).ToArray())).ConfigureAwait(false))
        {
            StoreRules.MapKeyResults(o, asked, found);
        }

        return found;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.PeriodHistory, ReadPeriod, cancellationToken, ("t", T(tenant)), ("id", id.Value));

    /// <inheritdoc/>
    public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.ObjectiveHistory, ReadObjective, cancellationToken, ("t", T(tenant)), ("id", id.Value));

    /// <summary>
    /// The tenant as correlated subqueries and the subtree read compare it: a one-row subquery, which the planner cannot
    /// read at plan time, so it plans them for an average tenant. Compared with the literal, a tenant the statistics have
    /// not seen (a new customer, before the next ANALYZE) is estimated at one row, and PostgreSQL then searched by the
    /// tenant alone once per outer row. Joins keep their inner side inner by a fence instead (below). Held by
    /// <c>PostgreSqlPlanTests.Every_statement_has_an_index_for_a_tenant_the_statistics_have_not_seen</c>.
    /// </summary>
    internal const string KeyedTenant = "(SELECT @t)";

    /// <summary>The shared statements in PostgreSQL's form, for the plan checks of the tests.</summary>
    internal static RelationalSql Statements => Sql;

    /// <summary>The as-of read over the histories: per key result the latest check-in not superseded by a known correction (<see cref="CheckInHistory.AsOf"/>).</summary>
    internal static readonly string ValuesAsOfSql = $"""
            SELECT DISTINCT ON (c.kr_id) {Prefixed("c")}
            FROM okr_check_ins c
            WHERE c.tenant = @t AND c.kr_id = ANY(@krs)
              AND c.effective_at <= @at AND (@known::bigint IS NULL OR c.recorded_at <= @known::bigint)
              AND NOT EXISTS (SELECT 1 FROM okr_check_ins d
                              WHERE d.tenant = c.tenant AND d.corrects = c.id AND d.kr_id = c.kr_id
                                AND (@known::bigint IS NULL OR d.recorded_at <= @known::bigint) OFFSET 0)
            ORDER BY c.kr_id, c.effective_at DESC, c.recorded_at DESC, c.id DESC
            """;

    /// <summary>
    /// The objectives of a period at or under some of them, ordered by id. Each step of the recursion looks up the
    /// children of each objective found on the alignment index's key (a subplan per row): written as a join, the planner
    /// hashed the tenant's whole alignment index at every step.
    /// </summary>
    internal const string SubtreesSql = $"""
        WITH RECURSIVE sub(id) AS (
            SELECT o.id FROM okr_objectives o WHERE o.tenant = @t AND o.period_id = @p AND o.id = ANY(@roots)
            UNION
            SELECT c.id FROM sub
                CROSS JOIN LATERAL unnest(ARRAY(SELECT a.child_id FROM okr_alignments a WHERE a.tenant = {KeyedTenant} AND a.parent_id = sub.id)) AS x(child_id)
                CROSS JOIN LATERAL (SELECT y.id FROM okr_objectives y WHERE y.tenant = {KeyedTenant} AND y.id = x.child_id AND y.period_id = @p OFFSET 0) AS c)
        SELECT o.body FROM sub CROSS JOIN LATERAL (SELECT y.id, y.body FROM okr_objectives y WHERE y.tenant = {KeyedTenant} AND y.id = sub.id OFFSET 0) AS o
        ORDER BY o.id
        """;

    /// <summary>
    /// The objectives of some periods aligned under some objectives of any period (<c>t</c>, <c>periods</c>,
    /// <c>parents</c>), the parents left out, ordered by id: <see cref="SubtreesSql"/>'s walk, from the parents' children
    /// on.
    /// </summary>
    internal const string AlignedUnderSql = $"""
        WITH RECURSIVE sub(id) AS (
            SELECT c.id FROM unnest(@parents) AS r(id)
                CROSS JOIN LATERAL unnest(ARRAY(SELECT a.child_id FROM okr_alignments a WHERE a.tenant = {KeyedTenant} AND a.parent_id = r.id)) AS x(child_id)
                CROSS JOIN LATERAL (SELECT y.id FROM okr_objectives y WHERE y.tenant = {KeyedTenant} AND y.id = x.child_id AND y.period_id = ANY(@periods) OFFSET 0) AS c
            UNION
            SELECT c.id FROM sub
                CROSS JOIN LATERAL unnest(ARRAY(SELECT a.child_id FROM okr_alignments a WHERE a.tenant = {KeyedTenant} AND a.parent_id = sub.id)) AS x(child_id)
                CROSS JOIN LATERAL (SELECT y.id FROM okr_objectives y WHERE y.tenant = {KeyedTenant} AND y.id = x.child_id AND y.period_id = ANY(@periods) OFFSET 0) AS c)
        SELECT o.body FROM sub CROSS JOIN LATERAL (SELECT y.id, y.body FROM okr_objectives y WHERE y.tenant = {KeyedTenant} AND y.id = sub.id OFFSET 0) AS o
        WHERE NOT (sub.id = ANY(@parents))
        ORDER BY o.id
        """;

    // The joins below keep their inner side inner: each is a LATERAL subquery fenced with OFFSET 0 (which the planner
    // does not flatten), keyed on the outer row, with the tenant compared to the outer row's (a value the planner
    // cannot read at plan time). Written as plain joins, the planner could drive from the inner table by the tenant
    // alone whenever its estimate of the tenant was off: one row for a tenant it had not seen, or an average tenant
    // for a large one (PostgreSqlPlanTests).

    /// <summary>The current values of key results (<c>t</c>, <c>krs</c>); the columns of <see cref="RelationalSql.CurrentValues"/>.</summary>
    internal static readonly string CurrentValuesSql = $"""
        SELECT {RelationalSql.HeldColumns}, v.kr_id, v.last_recorded_at
        FROM okr_key_result_values v
        WHERE v.tenant = @t AND v.kr_id = ANY(@krs) AND v.check_in_id IS NOT NULL
        """;

    /// <summary>
    /// <see cref="CurrentValuesSql"/> for a list of at most <see cref="KeyedCurrentValuesLimit"/> key results: the list
    /// drives one index probe per key. Asked for a few thousand of a large tenant's key results (a subtree's), the
    /// planner costed the plain form's index scan above a parallel scan of the whole table, which read every value row
    /// of every tenant for them.
    /// </summary>
    internal static readonly string KeyedCurrentValuesSql = $"""
        SELECT {RelationalSql.HeldColumns}, v.kr_id, v.last_recorded_at
        FROM unnest(@krs) AS k(id)
        CROSS JOIN LATERAL (SELECT y.* FROM okr_key_result_values y WHERE y.tenant = @t AND y.kr_id = k.id AND y.check_in_id IS NOT NULL OFFSET 0) AS v
        """;

    /// <summary>
    /// Up to this many key results, <see cref="GetCurrentValuesAsync"/> probes the index once per key
    /// (<see cref="KeyedCurrentValuesSql"/>); above it, one scan answers for all (<see cref="CurrentValuesSql"/>): for
    /// tens of thousands of keys, a whole period's, the probes cost more than the scan.
    /// </summary>
    internal const int KeyedCurrentValuesLimit = 8192;

    /// <summary>
    /// Locks a key result's current-value row (<c>t</c>, <c>kr</c>) as an append does, creating it if missing, for
    /// <see cref="OkrChangeSet.ExpectCheckInCount"/>: the row is the one every append of the key result locks. A row
    /// created here holds no check-in until one is appended (the current-value reads skip such a row), and one that
    /// merely existed would not do: a first append that has not committed yet holds no row this could lock.
    /// </summary>
    internal const string LockValueSql = "INSERT INTO okr_key_result_values (tenant, kr_id, last_recorded_at) VALUES (@t, @kr, 0) ON CONFLICT (tenant, kr_id) DO UPDATE SET last_recorded_at = okr_key_result_values.last_recorded_at";

    /// <summary>A key result's check-ins, corrections included (<c>t</c>, <c>kr</c>).</summary>
    internal const string CountCheckInsSql = "SELECT count(*) FROM okr_check_ins WHERE tenant = @t AND kr_id = @kr";

    /// <summary>A period's objective and check-in counts (<c>t</c>, <c>p</c>); see <see cref="RelationalSql.PeriodContent"/>.</summary>
    internal const string PeriodContentSql = """
        SELECT (SELECT count(*) FROM okr_objectives WHERE tenant = @t AND period_id = @p),
               (SELECT CAST(coalesce(sum((SELECT count(*) FROM okr_check_ins c WHERE c.tenant = o.tenant AND c.kr_id = k.id)), 0) AS bigint)
                FROM okr_objectives o
                CROSS JOIN LATERAL (SELECT y.id FROM okr_key_results y WHERE y.tenant = o.tenant AND y.objective_id = o.id OFFSET 0) AS k
                WHERE o.tenant = @t AND o.period_id = @p)
        """;

    /// <summary>The check-ins of a period's key results, in id order (<c>t</c>, <c>p</c>).</summary>
    internal static readonly string ExportPeriodCheckInsSql = $"""
        SELECT {Prefixed("c")} FROM okr_objectives o
        CROSS JOIN LATERAL (SELECT y.id FROM okr_key_results y WHERE y.tenant = o.tenant AND y.objective_id = o.id OFFSET 0) AS k
        CROSS JOIN LATERAL (SELECT {CheckInColumns} FROM okr_check_ins x WHERE x.tenant = o.tenant AND x.kr_id = k.id OFFSET 0) AS c
        WHERE o.tenant = @t AND o.period_id = @p
        ORDER BY c.id
        """;

    /// <summary>How many periods a tenant holds (<c>t</c>).</summary>
    internal const string CountPeriodsSql = "SELECT count(*) FROM okr_periods WHERE tenant = @t";

    /// <summary>The key result and recorded instant of each check-in of a period's key results (<c>t</c>, <c>p</c>).</summary>
    internal const string PeriodRecordedSql = """
        SELECT c.kr_id, c.recorded_at FROM okr_objectives o
        CROSS JOIN LATERAL (SELECT y.id FROM okr_key_results y WHERE y.tenant = o.tenant AND y.objective_id = o.id OFFSET 0) AS k
        CROSS JOIN LATERAL (SELECT x.kr_id, x.recorded_at FROM okr_check_ins x WHERE x.tenant = o.tenant AND x.kr_id = k.id OFFSET 0) AS c
        WHERE o.tenant = @t AND o.period_id = @p
        """;

    /// <summary>The bodies of the objectives that hold any of a list of key results, each once (<c>t</c>, <c>krs</c>).</summary>
    internal const string FindObjectivesByKeyResultsSql = """
        SELECT o.body FROM (SELECT DISTINCT k.tenant, k.objective_id FROM okr_key_results k WHERE k.tenant = @t AND k.id = ANY(@krs)) AS h
        CROSS JOIN LATERAL (SELECT y.body FROM okr_objectives y WHERE y.tenant = h.tenant AND y.id = h.objective_id OFFSET 0) AS o
        """;

    /// <summary>The body of the objective that holds a key result (<c>t</c>, <c>kr</c>).</summary>
    internal const string FindObjectiveByKeyResultSql = """
        SELECT o.body FROM okr_key_results k
        CROSS JOIN LATERAL (SELECT y.body FROM okr_objectives y WHERE y.tenant = k.tenant AND y.id = k.objective_id OFFSET 0) AS o
        WHERE k.tenant = @t AND k.id = @kr
        """;

    /// <inheritdoc/>
    /// <remarks>One recursive statement over the alignment index (<see cref="SubtreesSql"/>).</remarks>
    public IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(roots);
        return QueryAsync(SubtreesSql, ReadObjective, cancellationToken, ("t", T(tenant)), ("p", period.Value), ("roots", roots.Select(r => r.Value).ToArray()));
    }

    /// <inheritdoc/>
    /// <remarks>Implemented explicitly: call it through <see cref="IOkrStore"/>.</remarks>
    IAsyncEnumerable<Objective> IOkrStore.ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, CancellationToken cancellationToken)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(parents);
        return QueryAsync(AlignedUnderSql, ReadObjective, cancellationToken, ("t", T(tenant)), ("periods", periods.Select(p => p.Value).ToArray()), ("parents", parents.Select(p => p.Value).ToArray()));
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var sql = Sql.ListObjectives(query);
        return QueryAsync(
            sql,
            ReadObjective,
            cancellationToken,
            ("t", T(tenant)),
            ("period", query.Period?.Value),
            ("ok", (short?)query.Owner?.Kind),
            ("oid", query.Owner?.ExternalId),
            ("state", (short?)query.State),
            ("after", query.After?.Value),
            ("limit", query.Limit));
    }

    /// <inheritdoc/>
    public async ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default)
    {
        await foreach (var c in QueryAsync(Sql.GetCheckIn, ReadCheckIn, cancellationToken, ("t", T(tenant)), ("id", id.Value)).ConfigureAwait(false))
        {
            return c;
        }

        return null;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        QueryAsync(Sql.CheckInHistory, ReadCheckIn, cancellationToken, ("t", T(tenant)), ("kr", keyResult.Value));

    /// <inheritdoc/>
    public IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) =>
        QueryAsync(PeriodRecordedSql, static r => (new KeyResultId(r.GetGuid(0)), OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(1))), cancellationToken, ("t", T(tenant)), ("p", period.Value));

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var result = new Dictionary<KeyResultId, CheckIn>();
        cancellationToken.ThrowIfCancellationRequested();
        if (keyResults.Count == 0)
        {
            return result;
        }

        if (knownAt is null)
        {
            // Everything known: the maintained values answer, except where one took effect after the instant.
            foreach (var (kr, value) in await GetCurrentValuesAsync(tenant, keyResults, effectiveAt, cancellationToken).ConfigureAwait(false))
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

    /// <inheritdoc/>
    /// <remarks>One statement on the history index.</remarks>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        cancellationToken.ThrowIfCancellationRequested();
        return keyResults.Count == 0
            ? new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>()
            : await RelationalReads.HistoriesAsync(QueryAsync(Sql.Histories, ReadCheckIn, cancellationToken, ("t", T(tenant)), ("krs", keyResults.Select(k => k.Value).ToArray()))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>One statement reads the maintained values by key; only key results whose value took effect after <paramref name="at"/> go to the as-of read.</remarks>
    public async ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        cancellationToken.ThrowIfCancellationRequested();
        if (keyResults.Count == 0)
        {
            return new Dictionary<KeyResultId, KeyResultCurrent>();
        }

        var keys = Keys(keyResults);
        var sql = keys.Length <= KeyedCurrentValuesLimit ? KeyedCurrentValuesSql : CurrentValuesSql;
        return await RelationalReads.CurrentValuesAsync(QueryAsync(sql, ReadCurrent, cancellationToken, ("t", T(tenant)), ("krs", keys)), keys.Length, at, later => QueryValuesAsOfAsync(tenant, later, at, null, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The keys as the statements take them. A key asked twice is read twice and kept once (the result holds one
    /// entry per key); a summary's keys are distinct, and taking duplicates out first cost it a set of every key.
    /// </summary>
    private static Guid[] Keys(IReadOnlyCollection<KeyResultId> keyResults)
    {
        var keys = new Guid[keyResults.Count];
        var i = 0;
        foreach (var k in keyResults)
        {
            keys[i++] = k.Value;
        }

        return keys;
    }

    private static KeyResultCurrent ReadCurrent(NpgsqlDataReader r) =>
        new(new KeyResultId(r.GetGuid(10)), r.IsDBNull(0) ? null : ReadCheckIn(r), OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(11)));

    /// <summary>The as-of read over the histories: per key result the latest check-in not superseded by a known correction (CheckInHistory.AsOf).</summary>
    private async ValueTask<Dictionary<KeyResultId, CheckIn>> QueryValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt, CancellationToken cancellationToken)
    {
        var result = new Dictionary<KeyResultId, CheckIn>();
        var sql = ValuesAsOfSql;
        await foreach (var c in QueryAsync(sql, ReadCheckIn, cancellationToken, ("t", T(tenant)), ("krs", Keys(keyResults)), ("at", Nanos(effectiveAt)), ("known", knownAt is { } k ? Nanos(k) : null)).ConfigureAwait(false))
        {
            result[c.KeyResultId] = c;
        }

        return result;
    }

    /// <inheritdoc/>
    public async ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        StoreRules.CheckTenant(tenant, document);
        try
        {
            await ImportCoreAsync(tenant, document, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Only a writer racing this import can get here (fresh ids are checked first); nothing was written.
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(OkrDocument.Objectives), $"Another writer stored one of the document's ids while it was imported ({ex.ConstraintName}); nothing was imported. Retry the import.")]);
        }

        progress?.Report(new ImportProgress(ImportStage.Committed, 1, 1));
    }

    private async Task ImportCoreAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var newTenant = false;
        await WriteAsync(
            async (connection, transaction) =>
            {
                if (_analyzeThreshold is { } threshold && Math.Max(document.Objectives.Count, document.CheckIns.Count) >= threshold)
                {
                    // A tenant's first import: the statistics have never seen it, whatever share of the tables it is.
                    var any = Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM okr_objectives WHERE tenant = @t)", ("t", T(tenant)));
                    await using (any.ConfigureAwait(false))
                    {
                        newTenant = !(bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    }
                }

                // The stored objectives the check reads stay locked (FOR SHARE) until the import commits.
                await StoreRules.CheckImportAsync(document, (ids, ct) => LoadObjectivesAsync(connection, transaction, tenant, ids, ct), cancellationToken).ConfigureAwait(false);
                foreach (var period in document.Periods)
                {
                    await UpsertPeriod(connection, transaction, tenant, period, cancellationToken).ConfigureAwait(false);
                }

                progress?.Report(new ImportProgress(ImportStage.Periods, document.Periods.Count, document.Periods.Count));
                await ImportObjectives(connection, transaction, tenant, document.Objectives, progress, cancellationToken).ConfigureAwait(false);
                await Append(connection, transaction, tenant, document.CheckIns, cancellationToken, forceCopy: true).ConfigureAwait(false);
                progress?.Report(new ImportProgress(ImportStage.CheckIns, document.CheckIns.Count, document.CheckIns.Count));
            },
            cancellationToken,
            () => TablesToAnalyze(document, newTenant)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default)
    {
        var sql = period is null ? Sql.ExportCheckIns : ExportPeriodCheckInsSql;
        return StoreRules.ComposeExportAsync(this, tenant, period, QueryAsync(sql, ReadCheckIn, cancellationToken, ("t", T(tenant)), ("p", period?.Value)), cancellationToken);
    }

    private static PostgreSqlOkrStoreOptions Validated(PostgreSqlOkrStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static async Task UpsertPeriod(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, OkrPeriod period, CancellationToken cancellationToken) =>
        await Execute(
            connection,
            transaction,
            Sql.KeepPeriod + ";\n" + Sql.UpsertPeriod,
            cancellationToken,
            ("t", tenant.Value),
            ("id", period.Id.Value),
            ("name", period.Name),
            ("start", period.Dates.Start.ToDateOnly()),
            ("end", period.Dates.End.ToDateOnly()),
            ("state", (short)period.State),
            ("reason", period.ReopenReason),
            ("byk", (short?)period.UpdatedBy?.Kind),
            ("byid", period.UpdatedBy?.ExternalId),
            ("at", period.UpdatedAt is { } at ? OkrStoreFormat.ToUnixNanoseconds(at) : null),
            ("version", period.Version)).ConfigureAwait(false);

    private static IEnumerable<(string, object?)> ObjectiveParameters(TenantId tenant, Objective o) =>
    [
        ("t", T(tenant)), ("id", o.Id.Value), ("period", o.PeriodId.Value), ("ok", (short)o.Owner.Kind), ("oid", o.Owner.ExternalId),
        ("state", (short)o.State), ("version", o.Version), ("body", OkrJson.SerializeObjective(o)),
    ];

    /// <summary>Replaces an objective's key result index; a key result id held by another objective fails the write.</summary>
    private static async Task PutKeyResults(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, Objective objective, CancellationToken cancellationToken)
    {
        await Execute(connection, transaction, Sql.DeleteKeyResults, cancellationToken, ("t", T(tenant)), ("id", objective.Id.Value)).ConfigureAwait(false);
        if (objective.KeyResults.Count == 0)
        {
            return;
        }

        var ids = objective.KeyResults.Select(k => k.Id.Value).ToArray();
        var inserted = await Execute(connection, transaction, "INSERT INTO okr_key_results (tenant, id, objective_id) SELECT @t, kr, @id FROM unnest(@krs) AS kr ON CONFLICT (tenant, id) DO NOTHING", cancellationToken, ("t", T(tenant)), ("id", objective.Id.Value), ("krs", ids)).ConfigureAwait(false);
        if (inserted < ids.Length)
        {
            await ThrowKeyResultTaken(connection, transaction, tenant, "SELECT k.id, k.objective_id FROM okr_key_results k WHERE k.tenant = @t AND k.id = ANY(@krs) AND k.objective_id <> @id LIMIT 1", cancellationToken, ("t", T(tenant)), ("krs", ids), ("id", objective.Id.Value)).ConfigureAwait(false);
        }
    }

    private static async Task ThrowKeyResultTaken(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        _ = tenant;
        var find = Command(connection, transaction, sql, parameters);
        await using var findScope = find.ConfigureAwait(false);
        var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw StoreRules.KeyResultTaken(new KeyResultId(reader.GetGuid(0)), new ObjectiveId(reader.GetGuid(1)));
        }

        throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(Objective.KeyResults), "A key result id appears twice in the write.")]);
    }

    /// <summary>Imports objectives with binary COPY into staging tables, then upserts them and their key result index.</summary>
    private static async Task ImportObjectives(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<Objective> objectives, IProgress<ImportProgress>? progress, CancellationToken cancellationToken, bool? fresh = null, bool keyResultsStored = false)
    {
        // Fresh data (no id of the document stored yet, none repeated) is copied straight into the tables;
        // anything else goes through staging tables and an upsert that replaces what is there. A caller that has
        // locked the rows already knows some are stored.
        var direct = fresh ?? await IsFreshAsync(connection, transaction, tenant, objectives, cancellationToken).ConfigureAwait(false);
        var (objectiveTable, keyResultTable) = direct ? ("okr_objectives", "okr_key_results") : ("okr_objectives_staging", "okr_key_results_staging");
        if (!direct)
        {
            await Execute(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS okr_objectives_staging (LIKE okr_objectives) ON COMMIT DELETE ROWS; CREATE TEMP TABLE IF NOT EXISTS okr_key_results_staging (LIKE okr_key_results) ON COMMIT DELETE ROWS; TRUNCATE okr_objectives_staging, okr_key_results_staging;", cancellationToken).ConfigureAwait(false);
        }

        var copy = await connection.BeginBinaryImportAsync($"COPY {objectiveTable} (tenant, id, period_id, owner_kind, owner_id, state, version, body) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            for (var i = 0; i < objectives.Count; i++)
            {
                var o = objectives[i];
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(tenant.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.Id.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.PeriodId.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)o.Owner.Kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.Owner.ExternalId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)o.State, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(o.Version, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(OkrJson.SerializeObjective(o), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                if ((i + 1) % StoreRules.ProgressEvery == 0 || i + 1 == objectives.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new ImportProgress(ImportStage.Objectives, i + 1, objectives.Count));
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // The caller may know every objective's key results are stored as they are (a close changes none): then the
        // key-result index is left as it is.
        if (!keyResultsStored)
        {
            var keyResultCopy = await connection.BeginBinaryImportAsync($"COPY {keyResultTable} (tenant, id, objective_id) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            await using (keyResultCopy.ConfigureAwait(false))
            {
                foreach (var o in objectives)
                {
                    foreach (var kr in o.KeyResults)
                    {
                        await keyResultCopy.WriteRowAsync(cancellationToken, tenant.Value, kr.Id.Value, o.Id.Value).ConfigureAwait(false);
                    }
                }

                await keyResultCopy.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (direct)
        {
            await InsertAlignments(connection, transaction, tenant, objectives, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The alignment index: the staged objectives' links replace those stored.
        await Execute(connection, transaction, "DELETE FROM okr_alignments a USING okr_objectives_staging s WHERE a.tenant = s.tenant AND a.child_id = s.id", cancellationToken).ConfigureAwait(false);
        await InsertAlignments(connection, transaction, tenant, objectives, cancellationToken).ConfigureAwait(false);
        if (!keyResultsStored)
        {
            await Execute(
                connection,
                transaction,
                """
                DELETE FROM okr_key_results k USING okr_objectives_staging s WHERE k.tenant = s.tenant AND k.objective_id = s.id
                    AND NOT EXISTS (SELECT 1 FROM okr_key_results_staging r WHERE r.tenant = k.tenant AND r.id = k.id AND r.objective_id = k.objective_id);
                """,
                cancellationToken).ConfigureAwait(false);
        }

        await Execute(
            connection,
            transaction,
            """
            INSERT INTO okr_objective_history (tenant, id, version, body)
                SELECT o.tenant, o.id, o.version, o.body FROM okr_objectives o
                WHERE EXISTS (SELECT 1 FROM okr_objectives_staging s WHERE s.tenant = o.tenant AND s.id = o.id) ORDER BY o.id;
            INSERT INTO okr_objectives SELECT DISTINCT ON (id) * FROM okr_objectives_staging ORDER BY id
            ON CONFLICT (tenant, id) DO UPDATE SET period_id = excluded.period_id, owner_kind = excluded.owner_kind, owner_id = excluded.owner_id,
                state = excluded.state, version = excluded.version, body = excluded.body;
            """,
            cancellationToken).ConfigureAwait(false);
        if (!keyResultsStored)
        {
            await ThrowIfAnyKeyResultTaken(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
            await Execute(connection, transaction, "INSERT INTO okr_key_results SELECT * FROM okr_key_results_staging ON CONFLICT (tenant, id) DO NOTHING", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds objectives' links to the alignment index in one statement (after any stored links were removed).</summary>
    private static async Task InsertAlignments(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<Objective> objectives, CancellationToken cancellationToken)
    {
        var links = objectives.SelectMany(o => o.Alignments.Select(a => (Parent: a.ParentObjectiveId.Value, Child: o.Id.Value))).Distinct().ToList();
        if (links.Count == 0)
        {
            return;
        }

        await Execute(
            connection,
            transaction,
            "INSERT INTO okr_alignments (tenant, parent_id, child_id) SELECT @t, x.p, x.c FROM unnest(@parents, @children) AS x(p, c) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("t", T(tenant)),
            ("parents", links.Select(l => l.Parent).ToArray()),
            ("children", links.Select(l => l.Child).ToArray())).ConfigureAwait(false);
    }

    /// <summary>Whether the key-result index already holds exactly the key results of each of these (stored, locked) objectives.</summary>
    private static async Task<bool> KeyResultsStoredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<Objective> objectives, CancellationToken cancellationToken)
    {
        var expected = new HashSet<(Guid KeyResult, Guid Objective)>(objectives.SelectMany(o => o.KeyResults.Select(k => (k.Id.Value, o.Id.Value))));
        if (expected.Count != objectives.Sum(o => o.KeyResults.Count))
        {
            return false;   // a key result twice: let the full path report it
        }

        var read = Command(connection, transaction, "SELECT id, objective_id FROM okr_key_results WHERE tenant = @t AND objective_id = ANY(@ids)", ("t", tenant.Value), ("ids", objectives.Select(o => o.Id.Value).ToArray()));
        await using (read.ConfigureAwait(false))
        {
            var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var found = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!expected.Contains((reader.GetGuid(0), reader.GetGuid(1))))
                    {
                        return false;
                    }

                    found++;
                }

                return found == expected.Count;
            }
        }
    }

    /// <summary>Whether no objective or key result id of the import is stored or repeated, so rows can be copied straight in.</summary>
    private static async Task<bool> IsFreshAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<Objective> objectives, CancellationToken cancellationToken)
    {
        var ids = objectives.Select(o => o.Id.Value).ToArray();
        var krs = objectives.SelectMany(o => o.KeyResults).Select(k => k.Id.Value).ToArray();
        if (ids.Distinct().Count() != ids.Length || krs.Distinct().Count() != krs.Length)
        {
            return false;
        }

        var any = Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM okr_objectives WHERE tenant = @t AND id = ANY(@ids)) OR EXISTS (SELECT 1 FROM okr_key_results WHERE tenant = @t AND id = ANY(@krs))", ("t", T(tenant)), ("ids", ids), ("krs", krs));
        await using (any.ConfigureAwait(false))
        {
            return !(bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private static async Task ThrowIfAnyKeyResultTaken(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.id, k.objective_id FROM okr_key_results_staging s JOIN okr_key_results k ON k.tenant = s.tenant AND k.id = s.id WHERE k.objective_id <> s.objective_id
            UNION ALL
            SELECT s.id, min(s.objective_id::text)::uuid FROM okr_key_results_staging s GROUP BY s.id HAVING count(DISTINCT s.objective_id) > 1
            LIMIT 1
            """;
        var find = Command(connection, transaction, sql);
        await using var findScope = find.ConfigureAwait(false);
        var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw StoreRules.KeyResultTaken(new KeyResultId(reader.GetGuid(0)), new ObjectiveId(reader.GetGuid(1)));
        }

        _ = tenant;
    }

    /// <summary>Appends check-ins in the caller's transaction: identical ones are skipped, clashing ones throw.</summary>
    private async Task<int> Append(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken, bool forceCopy = false, ISet<CheckInId>? skipped = null)
    {
        foreach (var c in checkIns)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(checkIns));
            StoreRules.CheckInstants(c);
        }

        if (checkIns.Count == 0)
        {
            return 0;
        }

        var added = forceCopy || checkIns.Count >= _copyThreshold
            ? await AppendByCopy(connection, transaction, tenant, checkIns, skipped, cancellationToken).ConfigureAwait(false)
            : await AppendByInsert(connection, transaction, tenant, checkIns, skipped, cancellationToken).ConfigureAwait(false);
        if (added > 0)
        {
            if (forceCopy || checkIns.Count >= _copyThreshold)
            {
                await RefreshStagedValues(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RefreshValues(connection, transaction, tenant, [.. checkIns.Select(c => c.KeyResultId.Value).Distinct()], cancellationToken).ConfigureAwait(false);
            }
        }

        return added;
    }

    /// <summary>
    /// <see cref="RefreshValues"/> for a batch that went through the staging table (a COPY append or an import): the same
    /// two steps, with the key results read from the staging table rather than sent as an array, which PostgreSQL
    /// matched row by row against the whole array (an import of 100,000 objectives ran past the command timeout).
    /// </summary>
    private static async Task RefreshStagedValues(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, CancellationToken cancellationToken)
    {
        const string Touched = "SELECT DISTINCT kr_id FROM okr_check_ins_staging";
        await Execute(
            connection,
            transaction,
            $"INSERT INTO okr_key_result_values (tenant, kr_id, last_recorded_at) SELECT @t, s.kr_id, 0 FROM ({Touched}) AS s ORDER BY s.kr_id ON CONFLICT (tenant, kr_id) DO UPDATE SET last_recorded_at = okr_key_result_values.last_recorded_at",
            cancellationToken,
            ("t", T(tenant))).ConfigureAwait(false);
        await Execute(connection, transaction, Sql.RefreshValuesOf(Touched), cancellationToken, ("t", T(tenant))).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the current value of key results that gained check-ins, in the append's transaction. The first statement
    /// locks each key result's row (creating it if needed) in key order, so concurrent appenders of the same key result
    /// queue and never deadlock on each other; the second, with a snapshot taken after the locks are held, recomputes
    /// each value from every check-in committed so far and this transaction's own. The last appender to commit has
    /// therefore seen all the others' check-ins.
    /// </summary>
    private static async Task RefreshValues(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, Guid[] keyResults, CancellationToken cancellationToken)
    {
        await Execute(
            connection,
            transaction,
            "INSERT INTO okr_key_result_values (tenant, kr_id, last_recorded_at) SELECT @t, kr, 0 FROM unnest(@krs) AS kr ORDER BY kr ON CONFLICT (tenant, kr_id) DO UPDATE SET last_recorded_at = okr_key_result_values.last_recorded_at",
            cancellationToken,
            ("t", T(tenant)),
            ("krs", keyResults)).ConfigureAwait(false);
        await Execute(connection, transaction, Sql.RefreshValues, cancellationToken, ("t", T(tenant)), ("krs", keyResults)).ConfigureAwait(false);
    }

    private static async Task<int> AppendByInsert(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<CheckIn> checkIns, ISet<CheckInId>? skipped, CancellationToken cancellationToken)
    {
        var added = 0;
        var fresh = new HashSet<CheckInId>();
        foreach (var c in checkIns)
        {
            var inserted = await Execute(
                connection,
                transaction,
                $"INSERT INTO okr_check_ins (tenant, {CheckInColumns}) VALUES (@t, @id, @kr, @value, @ak, @aid, @eff, @rec, @conf, @note, @corr) ON CONFLICT (tenant, id) DO NOTHING",
                cancellationToken,
                ("t", T(tenant)), ("id", c.Id.Value), ("kr", c.KeyResultId.Value), ("value", c.Value), ("ak", (short)c.Author.Kind), ("aid", c.Author.ExternalId),
                ("eff", Nanos(c.EffectiveAt)), ("rec", Nanos(c.RecordedAt)), ("conf", c.Confidence?.Value), ("note", c.Note), ("corr", c.Corrects?.Value)).ConfigureAwait(false);
            if (inserted == 1)
            {
                added++;
                fresh.Add(c.Id);
                continue;
            }

            if (!fresh.Contains(c.Id))
            {
                skipped?.Add(c.Id);
            }

            var existing = Command(connection, transaction, Sql.GetCheckIn, ("t", T(tenant)), ("id", c.Id.Value));
            await using var existingScope = existing.ConfigureAwait(false);
            var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            StoreRules.CheckSameCheckIn(ReadCheckIn(reader), c);
        }

        return added;
    }

    /// <summary>Binary COPY into a staging table, insert what is new, then verify every id now stored holds the same content.</summary>
    private static async Task<int> AppendByCopy(NpgsqlConnection connection, NpgsqlTransaction transaction, TenantId tenant, IReadOnlyList<CheckIn> checkIns, ISet<CheckInId>? skipped, CancellationToken cancellationToken)
    {
        await Execute(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS okr_check_ins_staging (LIKE okr_check_ins) ON COMMIT DELETE ROWS; TRUNCATE okr_check_ins_staging;", cancellationToken).ConfigureAwait(false);
        var copy = await connection.BeginBinaryImportAsync($"COPY okr_check_ins_staging (tenant, {CheckInColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            for (var i = 0; i < checkIns.Count; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var c = checkIns[i];
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(tenant.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Id.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.KeyResultId.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Value, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)c.Author.Kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Author.ExternalId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(Nanos(c.EffectiveAt), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(Nanos(c.RecordedAt), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                if (c.Confidence is { } confidence)
                {
                    await copy.WriteAsync(confidence.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }

                await copy.WriteAsync(c.Note, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                if (c.Corrects is { } corrects)
                {
                    await copy.WriteAsync(corrects.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // DO NOTHING also skips a second row with the same id inside the batch.
        var added = await Execute(connection, transaction, "INSERT INTO okr_check_ins SELECT * FROM okr_check_ins_staging ON CONFLICT (tenant, id) DO NOTHING", cancellationToken).ConfigureAwait(false);
        if (added == checkIns.Count)
        {
            return added;   // every row was new: nothing can clash
        }

        // Some ids were there already (a retry, a duplicate in the batch, or a concurrent writer we waited for):
        // every staged id is now stored, and any difference in content is a clash that rolls the batch back.
        var clash = $"SELECT s.id FROM okr_check_ins_staging s JOIN okr_check_ins c ON c.tenant = s.tenant AND c.id = s.id WHERE {Fingerprint("s")} <> {Fingerprint("c")} LIMIT 1";
        var check = Command(connection, transaction, clash);
        await using (check.ConfigureAwait(false))
        {
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid id)
            {
                throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(CheckIn.Id), $"Check-in {new CheckInId(id)} already exists with different content; check-ins are append-only.")]);
            }
        }

        if (skipped is not null && added < checkIns.Count)
        {
            // The ids stored before this transaction (rows this transaction inserted carry its id in xmin).
            var before = Command(connection, transaction, "SELECT DISTINCT s.id FROM okr_check_ins_staging s JOIN okr_check_ins c ON c.tenant = s.tenant AND c.id = s.id WHERE c.xmin <> pg_current_xact_id()::xid");
            await using (before.ConfigureAwait(false))
            {
                var reader = await before.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        skipped.Add(new CheckInId(reader.GetGuid(0)));
                    }
                }
            }
        }

        return added;
    }

    private async Task WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> write, CancellationToken cancellationToken, Func<IReadOnlyList<(string Table, long Rows)>>? analyze = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _migrated.Value.ConfigureAwait(false);
        if (_bound is { } bound)
        {
            await InSavepointAsync(bound.Connection ?? throw new InvalidOperationException("The host's transaction has completed: the store bound to it can no longer be used."), bound, write, cancellationToken).ConfigureAwait(false);
            return;
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        if (_enlists && System.Transactions.Transaction.Current is not null)
        {
            // Inside the host's TransactionScope the connection is enlisted and the scope's Complete commits: the unit
            // runs in a savepoint of that transaction (Npgsql refuses a transaction of our own on an enlisted connection).
            await InSavepointAsync(connection, null, write, cancellationToken).ConfigureAwait(false);
            return;
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await write(connection, transaction).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (analyze?.Invoke() is { Count: > 0 } tables)
        {
            await AnalyzeAsync(connection, tables).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One unit of work in a transaction the host holds: a savepoint first, released when the unit succeeds and rolled
    /// back to when it fails, so the host's transaction stays usable and holds nothing of a failed unit.
    /// </summary>
    private static async Task InSavepointAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Func<NpgsqlConnection, NpgsqlTransaction, Task> write, CancellationToken cancellationToken)
    {
        await Execute(connection, transaction, "SAVEPOINT okr_unit", cancellationToken).ConfigureAwait(false);
        try
        {
            await write(connection, transaction!).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch
        {
            await Execute(connection, transaction, "ROLLBACK TO SAVEPOINT okr_unit", CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await Execute(connection, transaction, "RELEASE SAVEPOINT okr_unit", CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A row count in <see cref="AnalyzeAsync"/>'s list that has the table analysed whatever its size.</summary>
    private const long AnalyseAnyway = -1;

    /// <summary>
    /// Brings the planner's statistics up to date for tables a committed write filled materially: never analysed yet,
    /// named with <see cref="AnalyseAnyway"/>, or grown by a tenth or more by this write (autovacuum's own default proportion, without its minute's wait). After
    /// the commit, so neither the caller's token nor a failure here can make a committed write look failed: a failed
    /// ANALYZE leaves the statistics to autovacuum. ANALYZE takes a lock that lets reads and writes go on.
    /// </summary>
    private static async Task AnalyzeAsync(NpgsqlConnection connection, IReadOnlyList<(string Table, long Rows)> written)
    {
        try
        {
            var stale = new List<string>();
            var sizes = new NpgsqlCommand("SELECT c.relname, c.reltuples FROM pg_class c WHERE c.oid IN (SELECT to_regclass(t) FROM unnest(@tables) AS t)", connection);
            await using (sizes.ConfigureAwait(false))
            {
                sizes.Parameters.AddWithValue("tables", written.Select(w => w.Table).Distinct().ToArray());
                var reader = await sizes.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        var (table, tuples) = (reader.GetString(0), reader.GetFloat(1));
                        var rows = written.Where(w => w.Table == table).Sum(w => w.Rows);
                        if (tuples < 0 || written.Any(w => w.Table == table && w.Rows == AnalyseAnyway) || rows * 10 >= tuples)
                        {
                            stale.Add(table);
                        }
                    }
                }
            }

            if (stale.Count == 0)
            {
                return;
            }

            var analyze = new NpgsqlCommand("ANALYZE " + string.Join(", ", stale), connection);
            await using (analyze.ConfigureAwait(false))
            {
                await analyze.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // The write is committed; statistics are an optimisation that autovacuum also keeps.
        }
    }

    /// <summary>The tables a commit wrote at least <see cref="PostgreSqlOkrStoreOptions.AnalyzeThreshold"/> rows to, with the rows.</summary>
    private List<(string Table, long Rows)> TablesToAnalyze(OkrChangeSet changes, OkrCommitResult? result)
    {
        var tables = new List<(string, long)>();
        if (_analyzeThreshold is not { } threshold || result is null)
        {
            return tables;
        }

        if (result.CheckInsAdded >= threshold)
        {
            tables.AddRange([("okr_check_ins", result.CheckInsAdded), ("okr_key_result_values", result.CheckInsAdded)]);
        }

        if (changes.Objectives.Count >= threshold)
        {
            var n = changes.Objectives.Count;
            tables.AddRange([("okr_objectives", n), ("okr_key_results", n), ("okr_alignments", n), ("okr_objective_history", n)]);
        }

        if (result.Events.Count >= threshold)
        {
            tables.Add(("okr_events", result.Events.Count));
        }

        return tables;
    }

    /// <summary>
    /// The tables an import of a document wrote, when it wrote enough rows to one of them. A tenant's first import has
    /// them analysed whatever their size (<see cref="AnalyzeAsync"/>'s tenth): until the statistics have seen a tenant,
    /// PostgreSQL estimates it at one row and may read it whole where a key would do.
    /// </summary>
    private List<(string Table, long Rows)> TablesToAnalyze(OkrDocument document, bool newTenant)
    {
        if (_analyzeThreshold is not { } threshold || Math.Max(document.Objectives.Count, document.CheckIns.Count) < threshold)
        {
            return [];
        }

        long Rows(long n) => newTenant ? AnalyseAnyway : n;
        long objectives = Rows(document.Objectives.Count), checkIns = Rows(document.CheckIns.Count);
        return
        [
            ("okr_periods", Rows(document.Periods.Count)), ("okr_objectives", objectives), ("okr_key_results", objectives), ("okr_alignments", objectives),
            ("okr_objective_history", objectives), ("okr_check_ins", checkIns), ("okr_key_result_values", checkIns),
        ];
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _migrated.Value.ConfigureAwait(false);
        var connection = _bound?.Connection ?? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = Command(connection, _bound, sql, parameters);
            await using var commandScope = command.ConfigureAwait(false);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return read(reader);
            }
        }
        finally
        {
            if (_bound is null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains("@" + name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return command;
    }

    /// <summary>The fingerprint of a check-in's payload, compared when an id is appended twice (the value as text keeps its scale; the recorded instant is left out, as in <c>StoreRules.SamePayload</c>).</summary>
    private static string Fingerprint(string alias) =>
        $"md5(row({alias}.kr_id, {alias}.value::text, {alias}.author_kind, {alias}.author_id, {alias}.effective_at, {alias}.confidence, {alias}.note, {alias}.corrects)::text)";

    private static string Prefixed(string alias) => string.Join(", ", CheckInColumns.Split(", ").Select(c => $"{alias}.{c}"));

    private static OkrPeriod ReadPeriod(NpgsqlDataReader r) => RelationalRows.Period(r);

    /// <summary>
    /// An objective from its body column, decoded from the column's UTF-8 bytes as they came off the wire (into a pooled
    /// buffer), not through a string and back to UTF-8.
    /// </summary>
    private static Objective ReadObjective(NpgsqlDataReader r)
    {
        using var body = r.GetStream(0);
        var length = checked((int)body.Length);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.ReadExactly(buffer, 0, length);
            return OkrJson.DeserializeObjective(buffer.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static CheckIn ReadCheckIn(NpgsqlDataReader r) => RelationalRows.CheckIn(r, static (reader, i) => reader.GetDecimal(i));

    private static Guid T(TenantId tenant)
    {
        StoreRules.RequireTenant(tenant);
        return tenant.Value;
    }

    private static long Nanos(Instant instant) => OkrStoreFormat.ToUnixNanoseconds(instant);
}
