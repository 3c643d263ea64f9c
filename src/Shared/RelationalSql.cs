using System.Data.Common;
using NodaTime;
using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.Relational;

/// <summary>
/// The statements both SQL stores run, written once. A dialect supplies the table prefix (<c>okr_</c> on PostgreSQL)
/// and the parameter marker (<c>$</c> for SQLite, <c>@</c> for Npgsql); what differs beyond that (id lists, locks,
/// bulk paths, the as-of read) stays in the store. Every statement names the tenant (held by the PostgreSQL
/// store's <c>DistributionReadinessTests</c>), and SQLite plans each on an index (<c>SqliteSchemaTests</c>).
/// Compiled into each SQL store (linked source, internal).
/// </summary>
internal sealed class RelationalSql
{
    private readonly string _prefix;
    private readonly char _marker;
    private readonly bool _locksRows;

    /// <summary>A period's columns, in the order <see cref="RelationalRows.Period"/> reads them.</summary>
    public const string PeriodColumns = "id, name, start_date, end_date, state, reopen_reason, updated_by_kind, updated_by_id, updated_at, version";

    /// <summary>A check-in's columns, in the order <see cref="RelationalRows.CheckIn"/> reads them.</summary>
    public const string CheckInColumns = "id, kr_id, value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects";

    /// <summary>Builds the statements of one dialect.</summary>
    /// <param name="prefix">The table-name prefix.</param>
    /// <param name="marker">The parameter marker.</param>
    /// <param name="inList">How the dialect tests a column against a list parameter: <c>{0}</c> is the parameter's name
    /// (SQLite: <c>IN (SELECT value FROM json_each($name))</c>; PostgreSQL: <c>= ANY(@name)</c>).</param>
    /// <param name="locksRows">Whether the dialect locks rows (<c>FOR UPDATE</c> / <c>FOR SHARE</c>); SQLite's single writer needs none.</param>
    /// <param name="keyedTenant">The tenant as the correlated subqueries of the current-value refresh compare it: the
    /// parameter itself (SQLite), or an expression the planner cannot read at plan time (PostgreSQL: <c>(SELECT @t)</c>),
    /// so a tenant its statistics have not seen is not planned as one row and searched by the tenant alone per key
    /// result. (PostgreSQL keeps its own, fenced forms of the joins; see <c>PostgreSqlOkrStore</c>.)</param>
    /// <param name="subqueryFence">What ends a correlated subquery the planner must keep per row rather than turn into a
    /// join it may reorder (PostgreSQL: <c> OFFSET 0</c>; SQLite, which keeps them per row: nothing).</param>
    public RelationalSql(string prefix, char marker, string inList, bool locksRows, string? keyedTenant = null, string subqueryFence = "")
    {
        _locksRows = locksRows;
        _prefix = prefix;
        _marker = marker;
        var (p, m) = (prefix, marker);
        var kt = keyedTenant ?? $"{marker}t";
        var historyColumns = string.Join(", ", PeriodColumns.Split(", ").Select(c => "h." + c));
        GetPeriod = $"SELECT {PeriodColumns} FROM {p}periods WHERE tenant = {m}t AND id = {m}id";
        ListPeriods = $"SELECT {PeriodColumns} FROM {p}periods WHERE tenant = {m}t ORDER BY start_date, id";
        PeriodHistory = $"""
            SELECT {PeriodColumns} FROM (
                SELECT h.seq AS seq, {historyColumns} FROM {p}period_history h WHERE h.tenant = {m}t AND h.id = {m}id
                    AND EXISTS (SELECT 1 FROM {p}periods x WHERE x.tenant = {m}t AND x.id = {m}id)
                UNION ALL
                SELECT 9223372036854775807, {PeriodColumns} FROM {p}periods WHERE tenant = {m}t AND id = {m}id) AS versions
            ORDER BY seq
            """;
        KeepPeriod = $"INSERT INTO {p}period_history (tenant, {PeriodColumns}) SELECT tenant, {PeriodColumns} FROM {p}periods WHERE tenant = {m}t AND id = {m}id";
        UpsertPeriod = $"""
            INSERT INTO {p}periods (tenant, {PeriodColumns}) VALUES ({m}t, {m}id, {m}name, {m}start, {m}end, {m}state, {m}reason, {m}byk, {m}byid, {m}at, {m}version)
            ON CONFLICT (tenant, id) DO UPDATE SET name = excluded.name, start_date = excluded.start_date, end_date = excluded.end_date, state = excluded.state,
                reopen_reason = excluded.reopen_reason, updated_by_kind = excluded.updated_by_kind, updated_by_id = excluded.updated_by_id, updated_at = excluded.updated_at,
                version = excluded.version
            """;
        GetObjective = $"SELECT body FROM {p}objectives WHERE tenant = {m}t AND id = {m}id";
        ObjectiveHistory = $"""
            SELECT body FROM (
                SELECT h.seq AS seq, h.body AS body FROM {p}objective_history h WHERE h.tenant = {m}t AND h.id = {m}id
                    AND EXISTS (SELECT 1 FROM {p}objectives x WHERE x.tenant = {m}t AND x.id = {m}id)
                UNION ALL
                SELECT 9223372036854775807, body FROM {p}objectives WHERE tenant = {m}t AND id = {m}id) AS versions
            ORDER BY seq
            """;
        FindObjectiveByKeyResult = $"SELECT o.body FROM {p}key_results k JOIN {p}objectives o ON o.tenant = k.tenant AND o.id = k.objective_id WHERE k.tenant = {m}t AND k.id = {m}kr";
        KeepObjective = $"INSERT INTO {p}objective_history (tenant, id, version, body) SELECT tenant, id, version, body FROM {p}objectives WHERE tenant = {m}t AND id = {m}id";
        InsertObjective = $"INSERT INTO {p}objectives (tenant, id, period_id, owner_kind, owner_id, state, version, body) VALUES ({m}t, {m}id, {m}period, {m}ok, {m}oid, {m}state, {m}version, {m}body)";
        UpdateObjective = $"UPDATE {p}objectives SET period_id = {m}period, owner_kind = {m}ok, owner_id = {m}oid, state = {m}state, version = {m}version, body = {m}body WHERE tenant = {m}t AND id = {m}id";
        DeleteKeyResults = $"DELETE FROM {p}key_results WHERE tenant = {m}t AND objective_id = {m}id";
        GetCheckIn = $"SELECT {CheckInColumns} FROM {p}check_ins WHERE tenant = {m}t AND id = {m}id";
        CheckInHistory = $"SELECT {CheckInColumns} FROM {p}check_ins WHERE tenant = {m}t AND kr_id = {m}kr ORDER BY effective_at, recorded_at, id";
        ExportCheckIns = $"SELECT {CheckInColumns} FROM {p}check_ins WHERE tenant = {m}t ORDER BY id";
        ExportPeriodCheckIns = $"SELECT {CheckInColumns} FROM {p}check_ins WHERE tenant = {m}t AND kr_id IN (SELECT k.id FROM {p}objectives o JOIN {p}key_results k ON k.tenant = o.tenant AND k.objective_id = o.id WHERE o.tenant = {m}t AND o.period_id = {m}p) ORDER BY id";
        PeriodRecorded = $"SELECT kr_id, recorded_at FROM {p}check_ins WHERE tenant = {m}t AND kr_id IN (SELECT k.id FROM {p}objectives o JOIN {p}key_results k ON k.tenant = o.tenant AND k.objective_id = o.id WHERE o.tenant = {m}t AND o.period_id = {m}p)";

        string In(string name) => string.Format(System.Globalization.CultureInfo.InvariantCulture, inList, name);
        // A removed key result's last holder: the latest replaced version whose body holds it (bodies list key results
        // as {"id":"…" objects, which no other member of the body starts with), then that objective as stored now.
        FindLastHolder = $"SELECT o.body FROM {p}objectives o WHERE o.tenant = {m}t AND o.id = (SELECT h.id FROM {p}objective_history h WHERE h.tenant = {m}t AND h.body LIKE {m}pattern ORDER BY h.seq DESC LIMIT 1)";
        FindObjectivesByKeyResults = $"SELECT o.body FROM {p}objectives o WHERE o.tenant = {m}t AND o.id IN (SELECT k.objective_id FROM {p}key_results k WHERE k.tenant = {m}t AND k.id {In("krs")})";
        ObjectivesById = $"SELECT body FROM {p}objectives WHERE tenant = {m}t AND id {In("ids")} ORDER BY id";
        _periodVersions = $"SELECT id, version FROM {p}periods WHERE tenant = {m}t AND id {In("ids")} ORDER BY id";
        _objectiveVersions = $"SELECT id, version FROM {p}objectives WHERE tenant = {m}t AND id {In("ids")} ORDER BY id";

        ReserveSequence = $"""
            INSERT INTO {p}event_streams (tenant, last_sequence, next_attempt_at) VALUES ({m}t, {m}n, {m}due)
            ON CONFLICT (tenant) DO UPDATE SET last_sequence = {p}event_streams.last_sequence + excluded.last_sequence
            RETURNING last_sequence
            """;
        InsertEvent = $"INSERT INTO {p}events (tenant, {EventColumns}) VALUES ({m}t, {m}seq, {m}id, {m}type, {m}at, {m}ak, {m}aid, {m}data)";
        ReadEvents = $"SELECT {EventColumns} FROM {p}events WHERE tenant = {m}t AND sequence > {m}after ORDER BY sequence LIMIT {m}n";
        string Lease(string only) => $"""
            UPDATE {p}event_streams SET lease_token = {m}token, lease_owner = {m}owner, lease_until = {m}until
            WHERE tenant IN (
                SELECT tenant FROM {p}event_streams
                WHERE last_sequence > delivered_through AND next_attempt_at <= {m}now AND (lease_token IS NULL OR lease_until <= {m}now){only}
                ORDER BY next_attempt_at, tenant LIMIT {m}n{(locksRows ? " FOR UPDATE SKIP LOCKED" : string.Empty)})
            RETURNING tenant, delivered_through, last_sequence, attempts
            """;
        LeaseStreams = Lease(string.Empty);
        LeaseStreamsOf = Lease($" AND tenant {In("tenants")}");
        AcknowledgeStream = $"""
            UPDATE {p}event_streams SET
                delivered_through = CASE WHEN {m}through <= delivered_through THEN delivered_through WHEN {m}through >= last_sequence THEN last_sequence ELSE {m}through END,
                attempts = 0, last_error = NULL, lease_until = {m}until
            WHERE tenant = {m}t AND lease_token = {m}token
            """;
        ReleaseStream = $"UPDATE {p}event_streams SET lease_token = NULL, lease_owner = NULL, lease_until = NULL WHERE tenant = {m}t AND lease_token = {m}token";
        FailStream = $"UPDATE {p}event_streams SET lease_token = NULL, lease_owner = NULL, lease_until = NULL, attempts = attempts + 1, next_attempt_at = {m}retry, last_error = {m}error WHERE tenant = {m}t AND lease_token = {m}token";
        PruneEvents = $"DELETE FROM {p}events WHERE occurred_at < {m}before AND sequence <= (SELECT s.delivered_through FROM {p}event_streams s WHERE s.tenant = {p}events.tenant)";
        StreamState = $"SELECT last_sequence, delivered_through, attempts, next_attempt_at, last_error, lease_owner, lease_until, lease_token FROM {p}event_streams WHERE tenant = {m}t";

        // Counted per key result on its history index: written as one join, SQLite walked the tenant's check-ins and
        // PostgreSQL, right after an import into a fresh tenant (no statistics), took seconds.
        // A key result's current value (schema 7): the latest check-in not superseded by a correction, walked backwards on
        // the history index until one qualifies, and the latest recorded instant (the history index covers it).
        string InForce(string kr) => $"(SELECT c.id FROM {p}check_ins c WHERE c.tenant = {kt} AND c.kr_id = {kr} AND NOT EXISTS (SELECT 1 FROM {p}check_ins d WHERE d.tenant = c.tenant AND d.corrects = c.id AND d.kr_id = c.kr_id{subqueryFence}) ORDER BY c.effective_at DESC, c.recorded_at DESC, c.id DESC LIMIT 1)";
        string LastRecorded(string kr) => $"(SELECT max(c.recorded_at) FROM {p}check_ins c WHERE c.tenant = {kt} AND c.kr_id = {kr})";
        _refreshSet = $"check_in_id = {InForce($"{p}key_result_values.kr_id")}, last_recorded_at = {LastRecorded($"{p}key_result_values.kr_id")}";
        // Then the in-force check-in's columns, copied beside it (schema 8), so "now" reads no check-in.
        _holdSet = $"(value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) = (SELECT c.value, c.author_kind, c.author_id, c.effective_at, c.recorded_at, c.confidence, c.note, c.corrects FROM {p}check_ins c WHERE c.tenant = {p}key_result_values.tenant AND c.id = {p}key_result_values.check_in_id)";
        RefreshValues = $"""
            UPDATE {p}key_result_values SET {_refreshSet}
            WHERE tenant = {m}t AND kr_id {In("krs")};
            UPDATE {p}key_result_values SET {_holdSet}
            WHERE tenant = {m}t AND kr_id {In("krs")}
            """;
        Histories = $"SELECT {CheckInColumns} FROM {p}check_ins WHERE tenant = {m}t AND kr_id {In("krs")} ORDER BY kr_id, effective_at, recorded_at, id";
        CurrentValues = $"""
            SELECT {HeldColumns}, v.kr_id, v.last_recorded_at
            FROM {p}key_result_values v
            WHERE v.tenant = {m}t AND v.kr_id {In("krs")}
            """;
        Subtrees = $"""
            WITH RECURSIVE sub(id) AS (
                SELECT o.id FROM {p}objectives o WHERE o.tenant = {m}t AND o.period_id = {m}p AND o.id {In("roots")}
                UNION
                SELECT a.child_id FROM sub CROSS JOIN {p}alignments a CROSS JOIN {p}objectives c
                WHERE a.tenant = {m}t AND a.parent_id = sub.id AND c.tenant = {m}t AND c.id = a.child_id AND c.period_id = {m}p)
            SELECT o.body FROM {p}objectives o WHERE o.tenant = {m}t AND o.id IN (SELECT id FROM sub) ORDER BY o.id
            """;
        AlignedUnder = $"""
            WITH RECURSIVE sub(id) AS (
                SELECT a.child_id FROM {p}alignments a CROSS JOIN {p}objectives c
                WHERE a.tenant = {m}t AND a.parent_id {In("parents")} AND c.tenant = {m}t AND c.id = a.child_id AND c.period_id {In("periods")}
                UNION
                SELECT a.child_id FROM sub CROSS JOIN {p}alignments a CROSS JOIN {p}objectives c
                WHERE a.tenant = {m}t AND a.parent_id = sub.id AND c.tenant = {m}t AND c.id = a.child_id AND c.period_id {In("periods")})
            SELECT o.body FROM {p}objectives o WHERE o.tenant = {m}t AND o.id IN (SELECT id FROM sub) AND NOT (o.id {In("parents")}) ORDER BY o.id
            """;
        DeleteAlignments = $"DELETE FROM {p}alignments WHERE tenant = {m}t AND child_id = {m}id";
        PeriodContent = $"""
            SELECT (SELECT count(*) FROM {p}objectives WHERE tenant = {m}t AND period_id = {m}p),
                   (SELECT CAST(coalesce(sum((SELECT count(*) FROM {p}check_ins c WHERE c.tenant = {m}t AND c.kr_id = k.id)), 0) AS bigint)
                    FROM {p}objectives o JOIN {p}key_results k ON k.tenant = o.tenant AND k.objective_id = o.id
                    WHERE o.tenant = {m}t AND o.period_id = {m}p)
            """;
    }

    /// <summary>
    /// The listing of objectives for a query: one condition per filter set, <c>ORDER BY id</c> and the limit, with
    /// the parameters <c>t</c>, <c>period</c>, <c>ok</c>, <c>oid</c>, <c>state</c>, <c>after</c> and <c>limit</c> (a store
    /// binds the ones the query sets), so both stores filter exactly as <see cref="ObjectiveQuery.Matches"/> does.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <returns>The statement.</returns>
    public string ListObjectives(ObjectiveQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var m = _marker;
        return $"SELECT body FROM {_prefix}objectives WHERE tenant = {m}t"
            + (query.Period is null ? string.Empty : $" AND period_id = {m}period")
            + (query.Owner is null ? string.Empty : $" AND owner_kind = {m}ok AND owner_id = {m}oid")
            + (query.State is null ? string.Empty : $" AND state = {m}state")
            + (query.After is null ? string.Empty : $" AND id > {m}after")
            + " ORDER BY id"
            + (query.Limit is null ? string.Empty : $" LIMIT {m}limit");
    }

    /// <summary>
    /// The bodies of objectives of a period at or under some of them (<c>t</c>, <c>p</c>, <c>roots</c>), ordered by id. The
    /// recursion walks from each objective found to its children through the alignment index, then to each child by key
    /// (CROSS JOIN keeps SQLite to that order; left to itself it searched the period for every step).
    /// </summary>
    public string Subtrees { get; }

    /// <summary>
    /// The bodies of objectives of some periods aligned under some objectives of any period (<c>t</c>, <c>periods</c>,
    /// <c>parents</c>), the parents left out, ordered by id: as <see cref="Subtrees"/>, from the parents' children on.
    /// </summary>
    public string AlignedUnder { get; }

    /// <summary>Removes an objective's links from the alignment index (<c>t</c>, <c>id</c>: the child).</summary>
    public string DeleteAlignments { get; }

    /// <summary>
    /// Recomputes the current value of key results (<c>t</c>, <c>krs</c>) from their check-ins, after an append. Their
    /// rows must exist (and, where rows are locked, be locked by the caller first, so the recompute reads every check-in
    /// committed before it).
    /// </summary>
    public string RefreshValues { get; }

    private readonly string _refreshSet;
    private readonly string _holdSet;

    /// <summary>
    /// The in-force check-in as <c>key_result_values</c> (alias <c>v</c>) holds it, in the order of
    /// <see cref="CheckInColumns"/>: every column null when no check-in is in force.
    /// </summary>
    public const string HeldColumns = "v.check_in_id, v.kr_id, v.value, v.author_kind, v.author_id, v.effective_at, v.recorded_at, v.confidence, v.note, v.corrects";

    /// <summary>
    /// <see cref="RefreshValues"/> for the key results a query lists (<c>t</c>; <paramref name="keyResults"/> selects a
    /// <c>kr_id</c> column, each once): a bulk append names its staging table instead of a list parameter.
    /// </summary>
    /// <param name="keyResults">The query of key results.</param>
    /// <returns>The statement.</returns>
    public string RefreshValuesOf(string keyResults) =>
        $"UPDATE {_prefix}key_result_values SET {_refreshSet} FROM ({keyResults}) AS touched WHERE {_prefix}key_result_values.tenant = {_marker}t AND {_prefix}key_result_values.kr_id = touched.kr_id; " +
        $"UPDATE {_prefix}key_result_values SET {_holdSet} FROM ({keyResults}) AS touched WHERE {_prefix}key_result_values.tenant = {_marker}t AND {_prefix}key_result_values.kr_id = touched.kr_id";

    /// <summary>The histories of a list of key results (<c>t</c>, <c>krs</c>), by key result, then as one history is ordered.</summary>
    public string Histories { get; }

    /// <summary>
    /// The current values of key results (<c>t</c>, <c>krs</c>): the check-in in force (its columns, null when none is)
    /// followed by the key result's id and the latest recorded instant.
    /// </summary>
    public string CurrentValues { get; }

    /// <summary>The objective of the latest replaced version that held a key result (<c>t</c>, <c>pattern</c>: <c>%{"id":"KEY-RESULT"%</c>).</summary>
    public string FindLastHolder { get; }

    /// <summary>The bodies of the objectives that hold any of a list of key results, each once (<c>t</c>, <c>krs</c>).</summary>
    public string FindObjectivesByKeyResults { get; }

    /// <summary>The bodies of objectives by id, in id order (<c>t</c>, <c>ids</c>); append <see cref="Lock"/> to lock them.</summary>
    public string ObjectivesById { get; }

    private readonly string _periodVersions;
    private readonly string _objectiveVersions;

    /// <summary>The versions of periods by id, in id order, locked where the dialect locks rows (<c>t</c>, <c>ids</c>).</summary>
    /// <param name="exclusive">For update, or for share.</param>
    /// <returns>The statement.</returns>
    public string PeriodVersions(bool exclusive) => _periodVersions + Lock(exclusive);

    /// <summary>The versions of objectives by id, in id order, locked where the dialect locks rows (<c>t</c>, <c>ids</c>).</summary>
    /// <param name="exclusive">For update, or for share.</param>
    /// <returns>The statement.</returns>
    public string ObjectiveVersions(bool exclusive) => _objectiveVersions + Lock(exclusive);

    /// <summary>The row-lock clause of the dialect: empty where it locks no rows.</summary>
    /// <param name="exclusive">For update, or for share.</param>
    /// <returns>The clause, with a leading space.</returns>
    public string Lock(bool exclusive) => !_locksRows ? string.Empty : exclusive ? " FOR UPDATE" : " FOR SHARE";

    /// <summary>One period (<c>t</c>, <c>id</c>).</summary>
    public string GetPeriod { get; }

    /// <summary>The tenant's periods by first day, then id (<c>t</c>).</summary>
    public string ListPeriods { get; }

    /// <summary>Every version of a period, oldest first, the current one last (<c>t</c>, <c>id</c>).</summary>
    public string PeriodHistory { get; }

    /// <summary>Keeps the stored version of a period in the audit trail (<c>t</c>, <c>id</c>).</summary>
    public string KeepPeriod { get; }

    /// <summary>Inserts or replaces a period (<c>t</c>, <c>id</c>, <c>name</c>, <c>start</c>, <c>end</c>, <c>state</c>, <c>reason</c>, <c>byk</c>, <c>byid</c>, <c>at</c>, <c>version</c>).</summary>
    public string UpsertPeriod { get; }

    /// <summary>One objective's body (<c>t</c>, <c>id</c>).</summary>
    public string GetObjective { get; }

    /// <summary>Every version of an objective's body, oldest first, the current one last (<c>t</c>, <c>id</c>).</summary>
    public string ObjectiveHistory { get; }

    /// <summary>The body of the objective that holds a key result (<c>t</c>, <c>kr</c>).</summary>
    public string FindObjectiveByKeyResult { get; }

    /// <summary>Keeps the stored version of an objective in the audit trail (<c>t</c>, <c>id</c>).</summary>
    public string KeepObjective { get; }

    /// <summary>Inserts an objective (<c>t</c>, <c>id</c>, <c>period</c>, <c>ok</c>, <c>oid</c>, <c>state</c>, <c>version</c>, <c>body</c>).</summary>
    public string InsertObjective { get; }

    /// <summary>Replaces an objective (the parameters of <see cref="InsertObjective"/>).</summary>
    public string UpdateObjective { get; }

    /// <summary>Removes an objective's key-result index rows (<c>t</c>, <c>id</c>).</summary>
    public string DeleteKeyResults { get; }

    /// <summary>One check-in (<c>t</c>, <c>id</c>).</summary>
    public string GetCheckIn { get; }

    /// <summary>A key result's history by effective instant, recorded instant, then id (<c>t</c>, <c>kr</c>).</summary>
    public string CheckInHistory { get; }

    /// <summary>The tenant's check-ins by id (<c>t</c>).</summary>
    public string ExportCheckIns { get; }

    /// <summary>A period's check-ins by id (<c>t</c>, <c>p</c>).</summary>
    public string ExportPeriodCheckIns { get; }

    /// <summary>The key result and recorded instant of each check-in of a period's key results (<c>t</c>, <c>p</c>).</summary>
    public string PeriodRecorded { get; }

    /// <summary>A period's objectives and the check-ins of their key results (<c>t</c>, <c>p</c>).</summary>
    public string PeriodContent { get; }

    /// <summary>An event's columns, in the order <see cref="RelationalRows.Event"/> reads them.</summary>
    public const string EventColumns = "sequence, id, type, occurred_at, actor_kind, actor_id, data";

    /// <summary>Takes <c>n</c> sequence numbers of the tenant's stream, creating it due at <c>due</c>; returns the last taken (<c>t</c>, <c>n</c>, <c>due</c>).</summary>
    public string ReserveSequence { get; }

    /// <summary>Inserts one event (<c>t</c>, <c>seq</c>, <c>id</c>, <c>type</c>, <c>at</c>, <c>ak</c>, <c>aid</c>, <c>data</c>).</summary>
    public string InsertEvent { get; }

    /// <summary>A page of a tenant's events after a sequence (<c>t</c>, <c>after</c>, <c>n</c>).</summary>
    public string ReadEvents { get; }

    /// <summary>Leases up to <c>n</c> due streams (skipping locked ones where rows lock) and returns them (<c>token</c>, <c>owner</c>, <c>until</c>, <c>now</c>, <c>n</c>).</summary>
    public string LeaseStreams { get; }

    /// <summary>As <see cref="LeaseStreams"/>, among a list of tenants only (<c>tenants</c> besides).</summary>
    public string LeaseStreamsOf { get; }

    /// <summary>Moves a leased stream's cursor forward, clears its failures and renews the lease (<c>t</c>, <c>token</c>, <c>through</c>, <c>until</c>).</summary>
    public string AcknowledgeStream { get; }

    /// <summary>Ends a lease (<c>t</c>, <c>token</c>).</summary>
    public string ReleaseStream { get; }

    /// <summary>Ends a lease after a failure (<c>t</c>, <c>token</c>, <c>retry</c>, <c>error</c>).</summary>
    public string FailStream { get; }

    /// <summary>Deletes delivered events that occurred before a cut-off, across tenants (<c>before</c>).</summary>
    public string PruneEvents { get; }

    /// <summary>A tenant's stream state (<c>t</c>).</summary>
    public string StreamState { get; }
}

/// <summary>Row mapping shared by the SQL stores; a store supplies only how it keeps an exact decimal.</summary>
internal static class RelationalRows
{
    /// <summary>An event from the columns of <see cref="RelationalSql.EventColumns"/>.</summary>
    /// <param name="r">The reader, on a row.</param>
    /// <param name="tenant">The tenant read.</param>
    /// <returns>The event.</returns>
    public static Okr.Core.Events.OkrEvent Event(DbDataReader r, TenantId tenant) => new(
        r.GetGuid(1),
        tenant,
        r.GetInt64(0),
        r.GetString(2),
        OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(3)),
        r.IsDBNull(4) ? null : new OwnerRef((OwnerKind)r.GetInt64(4), r.GetString(5)),
        r.GetString(6));

    /// <summary>A stream's state from the columns of <see cref="RelationalSql.StreamState"/>.</summary>
    /// <param name="r">The reader, on a row.</param>
    /// <param name="tenant">The tenant read.</param>
    /// <returns>The state.</returns>
    public static Okr.Core.Events.OkrEventStreamState Stream(DbDataReader r, TenantId tenant) => new(
        tenant,
        r.GetInt64(0),
        r.GetInt64(1),
        (int)r.GetInt64(2),
        OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(3)),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(7) ? null : r.GetString(5),
        r.IsDBNull(7) ? null : OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(6)));

    /// <summary>A period from the columns of <see cref="RelationalSql.PeriodColumns"/>.</summary>
    /// <param name="r">The reader, on a row.</param>
    /// <returns>The period.</returns>
    public static OkrPeriod Period(DbDataReader r) => new(
        new PeriodId(r.GetGuid(0)),
        r.GetString(1),
        new DateInterval(LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(2)), LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(3))),
        (PeriodState)r.GetInt64(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : new OwnerRef((OwnerKind)r.GetInt64(6), r.GetString(7)),
        r.IsDBNull(8) ? null : OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(8)),
        r.GetInt64(9));

    /// <summary>A check-in from the columns of <see cref="RelationalSql.CheckInColumns"/>.</summary>
    /// <param name="r">The reader, on a row.</param>
    /// <param name="value">Reads the exact value (column 2).</param>
    /// <returns>The check-in.</returns>
    public static CheckIn CheckIn(DbDataReader r, Func<DbDataReader, int, decimal> value) => new(
        new CheckInId(r.GetGuid(0)),
        new KeyResultId(r.GetGuid(1)),
        value(r, 2),
        new OwnerRef((OwnerKind)r.GetInt64(3), r.GetString(4)),
        OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(5)),
        OkrStoreFormat.FromUnixNanoseconds(r.GetInt64(6)),
        r.IsDBNull(7) ? null : new Confidence(r.GetDouble(7)),
        r.GetString(8),
        r.IsDBNull(9) ? null : new CheckInId(r.GetGuid(9)));
}

/// <summary>What both SQL stores do with the rows of the dashboard reads, written once.</summary>
internal static class RelationalReads
{
    /// <summary>
    /// Current values from the rows of <see cref="RelationalSql.CurrentValues"/>: the maintained check-in in force, except
    /// for key results whose value took effect after <paramref name="at"/>, which <paramref name="asOf"/> reads exactly.
    /// </summary>
    /// <param name="rows">The rows.</param>
    /// <param name="asked">How many key results were asked for (at most that many rows come back, each key once).</param>
    /// <param name="at">The instant asked for.</param>
    /// <param name="asOf">The as-of read of the store, for the key results given.</param>
    /// <returns>The values.</returns>
    public static async ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> CurrentValuesAsync(IAsyncEnumerable<KeyResultCurrent> rows, int asked, Instant at, Func<List<KeyResultId>, ValueTask<Dictionary<KeyResultId, CheckIn>>> asOf)
    {
        var result = new Dictionary<KeyResultId, KeyResultCurrent>(asked);
        List<KeyResultId>? later = null;
        await foreach (var current in rows.ConfigureAwait(false))
        {
            result[current.KeyResult] = current;
            if (current.InForce is { } c && c.EffectiveAt > at)
            {
                (later ??= []).Add(current.KeyResult);
            }
        }

        if (later is not null)
        {
            var exact = await asOf(later).ConfigureAwait(false);
            foreach (var kr in later)
            {
                result[kr] = new KeyResultCurrent(kr, exact.GetValueOrDefault(kr), result[kr].LastRecordedAt);
            }
        }

        return result;
    }

    /// <summary>Histories from the rows of <see cref="RelationalSql.Histories"/> (ordered by key result): one list per key result.</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The histories.</returns>
    public static async ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> HistoriesAsync(IAsyncEnumerable<CheckIn> rows)
    {
        var result = new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>();
        List<CheckIn>? current = null;
        await foreach (var c in rows.ConfigureAwait(false))
        {
            if (current is null || current[0].KeyResultId != c.KeyResultId)
            {
                current = [];
                result[c.KeyResultId] = current;
            }

            current.Add(c);
        }

        return result;
    }
}
