namespace Okr.Storage.Relational;

/// <summary>
/// The one list of schema migrations of the SQL stores, each with its DDL for SQLite and for PostgreSQL. A store at
/// version <c>n</c> has run the first <c>n</c>; both dialects share the numbering, so one schema version means one
/// design in both (held by <c>SchemaParityTests</c>). The tenant leads every primary key and index, so a distributed
/// PostgreSQL (Citus) can shard every table by tenant. Compiled into each SQL store (linked source, internal).
/// </summary>
internal static class OkrSchemaMigrations
{
    /// <summary>Every migration, in order.</summary>
    public static readonly Migration[] All =
    [
        new(
            "1: periods, objectives (whole, as okr/1 JSON, beside the columns queries filter on), the key-result index and check-ins.",
            """
            CREATE TABLE periods (
                tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
                start_date TEXT NOT NULL, end_date TEXT NOT NULL, state INTEGER NOT NULL, reopen_reason TEXT,
                PRIMARY KEY (tenant, id)) WITHOUT ROWID;
            CREATE INDEX ix_periods_start ON periods (tenant, start_date, id);

            CREATE TABLE objectives (
                tenant TEXT NOT NULL, id TEXT NOT NULL, period_id TEXT NOT NULL,
                owner_kind INTEGER NOT NULL, owner_id TEXT NOT NULL, state INTEGER NOT NULL,
                version INTEGER NOT NULL, body TEXT NOT NULL,
                PRIMARY KEY (tenant, id)) WITHOUT ROWID;
            CREATE INDEX ix_objectives_period ON objectives (tenant, period_id, id);
            CREATE INDEX ix_objectives_owner ON objectives (tenant, owner_kind, owner_id, id);
            CREATE INDEX ix_objectives_state ON objectives (tenant, state, id);

            CREATE TABLE key_results (
                tenant TEXT NOT NULL, id TEXT NOT NULL, objective_id TEXT NOT NULL,
                PRIMARY KEY (tenant, id)) WITHOUT ROWID;
            CREATE INDEX ix_key_results_objective ON key_results (tenant, objective_id);

            CREATE TABLE check_ins (
                tenant TEXT NOT NULL, id TEXT NOT NULL, kr_id TEXT NOT NULL, value TEXT NOT NULL,
                author_kind INTEGER NOT NULL, author_id TEXT NOT NULL,
                effective_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
                confidence REAL, note TEXT NOT NULL, corrects TEXT,
                PRIMARY KEY (tenant, id)) WITHOUT ROWID;
            CREATE INDEX ix_check_ins_history ON check_ins (tenant, kr_id, effective_at, recorded_at, id);
            CREATE INDEX ix_check_ins_corrects ON check_ins (tenant, corrects) WHERE corrects IS NOT NULL;
            """,
            """
            CREATE TABLE okr_periods (
                tenant uuid NOT NULL, id uuid NOT NULL, name text NOT NULL,
                start_date date NOT NULL, end_date date NOT NULL, state smallint NOT NULL, reopen_reason text,
                PRIMARY KEY (tenant, id));
            CREATE INDEX ix_okr_periods_start ON okr_periods (tenant, start_date, id);

            CREATE TABLE okr_objectives (
                tenant uuid NOT NULL, id uuid NOT NULL, period_id uuid NOT NULL,
                owner_kind smallint NOT NULL, owner_id text NOT NULL, state smallint NOT NULL,
                version bigint NOT NULL, body text NOT NULL,
                PRIMARY KEY (tenant, id));
            CREATE INDEX ix_okr_objectives_period ON okr_objectives (tenant, period_id, id);
            CREATE INDEX ix_okr_objectives_owner ON okr_objectives (tenant, owner_kind, owner_id, id);
            CREATE INDEX ix_okr_objectives_state ON okr_objectives (tenant, state, id);

            CREATE TABLE okr_key_results (
                tenant uuid NOT NULL, id uuid NOT NULL, objective_id uuid NOT NULL,
                PRIMARY KEY (tenant, id));
            CREATE INDEX ix_okr_key_results_objective ON okr_key_results (tenant, objective_id);

            CREATE TABLE okr_check_ins (
                tenant uuid NOT NULL, id uuid NOT NULL, kr_id uuid NOT NULL, value numeric NOT NULL,
                author_kind smallint NOT NULL, author_id text NOT NULL,
                effective_at bigint NOT NULL, recorded_at bigint NOT NULL,
                confidence double precision, note text NOT NULL, corrects uuid,
                PRIMARY KEY (tenant, id));
            CREATE INDEX ix_okr_check_ins_history ON okr_check_ins (tenant, kr_id, effective_at, recorded_at, id);
            CREATE INDEX ix_okr_check_ins_corrects ON okr_check_ins (tenant, corrects) WHERE corrects IS NOT NULL;
            """),
        new(
            "2: the audit trail: every version of an objective that a write replaces, in the order replaced.",
            """
            CREATE TABLE objective_history (
                seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL);
            CREATE INDEX ix_objective_history ON objective_history (tenant, id, seq);
            """,
            """
            CREATE TABLE okr_objective_history (
                tenant uuid NOT NULL, id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
                version bigint NOT NULL, body text NOT NULL,
                PRIMARY KEY (tenant, id, seq));
            """),
        new(
            "3: who changed a period and when, and every version of a period that a save replaces.",
            """
            ALTER TABLE periods ADD COLUMN updated_by_kind INTEGER;
            ALTER TABLE periods ADD COLUMN updated_by_id TEXT;
            ALTER TABLE periods ADD COLUMN updated_at INTEGER;
            CREATE TABLE period_history (
                seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
                start_date TEXT NOT NULL, end_date TEXT NOT NULL, state INTEGER NOT NULL, reopen_reason TEXT,
                updated_by_kind INTEGER, updated_by_id TEXT, updated_at INTEGER);
            CREATE INDEX ix_period_history ON period_history (tenant, id, seq);
            """,
            """
            ALTER TABLE okr_periods ADD COLUMN updated_by_kind smallint, ADD COLUMN updated_by_id text, ADD COLUMN updated_at bigint;
            CREATE TABLE okr_period_history (
                tenant uuid NOT NULL, id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
                name text NOT NULL, start_date date NOT NULL, end_date date NOT NULL, state smallint NOT NULL, reopen_reason text,
                updated_by_kind smallint, updated_by_id text, updated_at bigint,
                PRIMARY KEY (tenant, id, seq));
            """),
        new(
            "4: the as-of read asks \"is this check-in corrected?\" by tenant, check-in and key result (and when the correction was recorded). Without kr_id and recorded_at in the index, SQLite scanned the tenant's check-ins once per candidate row: a 1 000-key-result read of 4 000 check-ins took over a second.",
            """
            DROP INDEX ix_check_ins_corrects;
            CREATE INDEX ix_check_ins_corrects ON check_ins (tenant, corrects, kr_id, recorded_at) WHERE corrects IS NOT NULL;
            """,
            """
            DROP INDEX ix_okr_check_ins_corrects;
            CREATE INDEX ix_okr_check_ins_corrects ON okr_check_ins (tenant, corrects, kr_id, recorded_at) WHERE corrects IS NOT NULL;
            """),
        new(
            "5: periods are versioned like objectives (optimistic concurrency for their life cycle); the audit trail keeps each version's number. Periods stored before carry version 1, as if written once.",
            """
            ALTER TABLE periods ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE period_history ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            """,
            """
            ALTER TABLE okr_periods ADD COLUMN version bigint NOT NULL DEFAULT 1;
            ALTER TABLE okr_period_history ADD COLUMN version bigint NOT NULL DEFAULT 1;
            """),
        new(
            "6: the transactional outbox: each tenant's events (written in the transaction of their change, numbered in commit order; the only index is the sequence, so writing them appends to one end) and one row per tenant with the last number taken, the delivery cursor, failures and the dispatcher's lease.",
            """
            CREATE TABLE event_streams (
                tenant TEXT NOT NULL, last_sequence INTEGER NOT NULL, delivered_through INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
                lease_token TEXT, lease_owner TEXT, lease_until INTEGER,
                PRIMARY KEY (tenant)) WITHOUT ROWID;
            CREATE TABLE events (
                tenant TEXT NOT NULL, sequence INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
                occurred_at INTEGER NOT NULL, actor_kind INTEGER, actor_id TEXT, data TEXT NOT NULL,
                PRIMARY KEY (tenant, sequence)) WITHOUT ROWID;
            """,
            """
            CREATE TABLE okr_event_streams (
                tenant uuid NOT NULL, last_sequence bigint NOT NULL, delivered_through bigint NOT NULL DEFAULT 0,
                attempts integer NOT NULL DEFAULT 0, next_attempt_at bigint NOT NULL, last_error text,
                lease_token uuid, lease_owner text, lease_until bigint,
                PRIMARY KEY (tenant));
            CREATE TABLE okr_events (
                tenant uuid NOT NULL, sequence bigint NOT NULL, id uuid NOT NULL, type text NOT NULL,
                occurred_at bigint NOT NULL, actor_kind smallint, actor_id text, data text NOT NULL,
                PRIMARY KEY (tenant, sequence));
            """),
        new(
            "7: scoped reads. Each key result's current value, maintained in the transaction of every append: the check-in in force (the latest not superseded by a correction) and when its latest check-in was recorded; \"now\" reads it by key instead of walking histories. And the index of alignment links, parent to child, kept with every objective write, so a subtree is read without the rest of its period. Both filled here from what is stored.",
            """
            CREATE TABLE key_result_values (
                tenant TEXT NOT NULL, kr_id TEXT NOT NULL, check_in_id TEXT, last_recorded_at INTEGER NOT NULL,
                PRIMARY KEY (tenant, kr_id)) WITHOUT ROWID;
            INSERT INTO key_result_values (tenant, kr_id, check_in_id, last_recorded_at)
            SELECT k.tenant, k.kr_id,
                (SELECT c.id FROM check_ins c WHERE c.tenant = k.tenant AND c.kr_id = k.kr_id
                   AND NOT EXISTS (SELECT 1 FROM check_ins d WHERE d.tenant = c.tenant AND d.corrects = c.id AND d.kr_id = c.kr_id)
                 ORDER BY c.effective_at DESC, c.recorded_at DESC, c.id DESC LIMIT 1),
                k.last
            FROM (SELECT tenant, kr_id, max(recorded_at) AS last FROM check_ins GROUP BY tenant, kr_id) k;
            CREATE TABLE alignments (
                tenant TEXT NOT NULL, parent_id TEXT NOT NULL, child_id TEXT NOT NULL,
                PRIMARY KEY (tenant, parent_id, child_id)) WITHOUT ROWID;
            CREATE INDEX ix_alignments_child ON alignments (tenant, child_id);
            INSERT OR IGNORE INTO alignments (tenant, parent_id, child_id)
            SELECT o.tenant, json_extract(a.value, '$.objective'), o.id FROM objectives o, json_each(o.body, '$.alignments') a;
            """,
            """
            CREATE TABLE okr_key_result_values (
                tenant uuid NOT NULL, kr_id uuid NOT NULL, check_in_id uuid, last_recorded_at bigint NOT NULL,
                PRIMARY KEY (tenant, kr_id));
            INSERT INTO okr_key_result_values (tenant, kr_id, check_in_id, last_recorded_at)
            SELECT k.tenant, k.kr_id,
                (SELECT c.id FROM okr_check_ins c WHERE c.tenant = k.tenant AND c.kr_id = k.kr_id
                   AND NOT EXISTS (SELECT 1 FROM okr_check_ins d WHERE d.tenant = c.tenant AND d.corrects = c.id AND d.kr_id = c.kr_id)
                 ORDER BY c.effective_at DESC, c.recorded_at DESC, c.id DESC LIMIT 1),
                k.last
            FROM (SELECT tenant, kr_id, max(recorded_at) AS last FROM okr_check_ins GROUP BY tenant, kr_id) k;
            CREATE TABLE okr_alignments (
                tenant uuid NOT NULL, parent_id uuid NOT NULL, child_id uuid NOT NULL,
                PRIMARY KEY (tenant, parent_id, child_id));
            CREATE INDEX ix_okr_alignments_child ON okr_alignments (tenant, child_id);
            INSERT INTO okr_alignments (tenant, parent_id, child_id)
            SELECT DISTINCT o.tenant, (a.value ->> 'objective')::uuid, o.id FROM okr_objectives o, jsonb_array_elements(o.body::jsonb -> 'alignments') a
            ON CONFLICT DO NOTHING;
            """),
        new(
            "8: each key result's current value keeps the columns of its check-in in force (as the EF Core store's table does), so \"now\" reads one row per key result and no check-in at all.",
            """
            ALTER TABLE key_result_values ADD COLUMN value TEXT;
            ALTER TABLE key_result_values ADD COLUMN author_kind INTEGER;
            ALTER TABLE key_result_values ADD COLUMN author_id TEXT;
            ALTER TABLE key_result_values ADD COLUMN effective_at INTEGER;
            ALTER TABLE key_result_values ADD COLUMN recorded_at INTEGER;
            ALTER TABLE key_result_values ADD COLUMN confidence REAL;
            ALTER TABLE key_result_values ADD COLUMN note TEXT;
            ALTER TABLE key_result_values ADD COLUMN corrects TEXT;
            UPDATE key_result_values SET (value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) =
                (SELECT c.value, c.author_kind, c.author_id, c.effective_at, c.recorded_at, c.confidence, c.note, c.corrects
                 FROM check_ins c WHERE c.tenant = key_result_values.tenant AND c.id = key_result_values.check_in_id)
            WHERE check_in_id IS NOT NULL;
            """,
            """
            ALTER TABLE okr_key_result_values ADD COLUMN value numeric, ADD COLUMN author_kind smallint, ADD COLUMN author_id text,
                ADD COLUMN effective_at bigint, ADD COLUMN recorded_at bigint, ADD COLUMN confidence double precision,
                ADD COLUMN note text, ADD COLUMN corrects uuid;
            UPDATE okr_key_result_values v SET (value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) =
                (SELECT c.value, c.author_kind, c.author_id, c.effective_at, c.recorded_at, c.confidence, c.note, c.corrects
                 FROM okr_check_ins c WHERE c.tenant = v.tenant AND c.id = v.check_in_id)
            WHERE v.check_in_id IS NOT NULL;
            """),
    ];

    /// <summary>The schema version this library writes.</summary>
    public static int Current => All.Length;

    /// <summary>One migration.</summary>
    /// <param name="Why">What it changes and why.</param>
    /// <param name="Sqlite">Its DDL for SQLite.</param>
    /// <param name="PostgreSql">Its DDL for PostgreSQL.</param>
    internal sealed record Migration(string Why, string Sqlite, string PostgreSql);
}
