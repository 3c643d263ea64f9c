-- Okr.Storage.PostgreSql schema: version 0 to 8. Run it as a role that may create tables; the
-- application's role then needs only SELECT, INSERT, UPDATE and DELETE (PostgreSqlOkrStoreOptions.AutoMigrate = false).
BEGIN;
SELECT pg_advisory_xact_lock(5713751121621895237);
CREATE TABLE IF NOT EXISTS okr_schema (version integer NOT NULL); INSERT INTO okr_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM okr_schema);
DO $guard$ BEGIN
  IF (SELECT version FROM okr_schema) <> 0 THEN
    RAISE EXCEPTION 'okr_schema is at version %; this script migrates from version 0', (SELECT version FROM okr_schema);
  END IF;
END $guard$;
-- 1: periods, objectives (whole, as okr/1 JSON, beside the columns queries filter on), the key-result index and check-ins.
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
UPDATE okr_schema SET version = 1;

-- 2: the audit trail: every version of an objective that a write replaces, in the order replaced.
CREATE TABLE okr_objective_history (
    tenant uuid NOT NULL, id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
    version bigint NOT NULL, body text NOT NULL,
    PRIMARY KEY (tenant, id, seq));
UPDATE okr_schema SET version = 2;

-- 3: who changed a period and when, and every version of a period that a save replaces.
ALTER TABLE okr_periods ADD COLUMN updated_by_kind smallint, ADD COLUMN updated_by_id text, ADD COLUMN updated_at bigint;
CREATE TABLE okr_period_history (
    tenant uuid NOT NULL, id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL, start_date date NOT NULL, end_date date NOT NULL, state smallint NOT NULL, reopen_reason text,
    updated_by_kind smallint, updated_by_id text, updated_at bigint,
    PRIMARY KEY (tenant, id, seq));
UPDATE okr_schema SET version = 3;

-- 4: the as-of read asks "is this check-in corrected?" by tenant, check-in and key result (and when the correction was recorded). Without kr_id and recorded_at in the index, SQLite scanned the tenant's check-ins once per candidate row: a 1 000-key-result read of 4 000 check-ins took over a second.
DROP INDEX ix_okr_check_ins_corrects;
CREATE INDEX ix_okr_check_ins_corrects ON okr_check_ins (tenant, corrects, kr_id, recorded_at) WHERE corrects IS NOT NULL;
UPDATE okr_schema SET version = 4;

-- 5: periods are versioned like objectives (optimistic concurrency for their life cycle); the audit trail keeps each version's number. Periods stored before carry version 1, as if written once.
ALTER TABLE okr_periods ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE okr_period_history ADD COLUMN version bigint NOT NULL DEFAULT 1;
UPDATE okr_schema SET version = 5;

-- 6: the transactional outbox: each tenant's events (written in the transaction of their change, numbered in commit order; the only index is the sequence, so writing them appends to one end) and one row per tenant with the last number taken, the delivery cursor, failures and the dispatcher's lease.
CREATE TABLE okr_event_streams (
    tenant uuid NOT NULL, last_sequence bigint NOT NULL, delivered_through bigint NOT NULL DEFAULT 0,
    attempts integer NOT NULL DEFAULT 0, next_attempt_at bigint NOT NULL, last_error text,
    lease_token uuid, lease_owner text, lease_until bigint,
    PRIMARY KEY (tenant));
CREATE TABLE okr_events (
    tenant uuid NOT NULL, sequence bigint NOT NULL, id uuid NOT NULL, type text NOT NULL,
    occurred_at bigint NOT NULL, actor_kind smallint, actor_id text, data text NOT NULL,
    PRIMARY KEY (tenant, sequence));
UPDATE okr_schema SET version = 6;

-- 7: scoped reads. Each key result's current value, maintained in the transaction of every append: the check-in in force (the latest not superseded by a correction) and when its latest check-in was recorded; "now" reads it by key instead of walking histories. And the index of alignment links, parent to child, kept with every objective write, so a subtree is read without the rest of its period. Both filled here from what is stored.
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
UPDATE okr_schema SET version = 7;

-- 8: each key result's current value keeps the columns of its check-in in force (as the EF Core store's table does), so "now" reads one row per key result and no check-in at all.
ALTER TABLE okr_key_result_values ADD COLUMN value numeric, ADD COLUMN author_kind smallint, ADD COLUMN author_id text,
    ADD COLUMN effective_at bigint, ADD COLUMN recorded_at bigint, ADD COLUMN confidence double precision,
    ADD COLUMN note text, ADD COLUMN corrects uuid;
UPDATE okr_key_result_values v SET (value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) =
    (SELECT c.value, c.author_kind, c.author_id, c.effective_at, c.recorded_at, c.confidence, c.note, c.corrects
     FROM okr_check_ins c WHERE c.tenant = v.tenant AND c.id = v.check_in_id)
WHERE v.check_in_id IS NOT NULL;
UPDATE okr_schema SET version = 8;

COMMIT;
