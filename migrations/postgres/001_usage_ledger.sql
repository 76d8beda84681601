-- The usage ledger: one row per processed request, append-only. A retried write of the same
-- request_id is a no-op (unique), so a request can never be charged twice.
CREATE TABLE usage_ledger (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  text        NOT NULL UNIQUE,
  ts          timestamptz NOT NULL,
  org_id      text        NOT NULL,
  endpoint    text        NOT NULL,
  result      text        NOT NULL,
  charged     boolean     NOT NULL
);

CREATE INDEX usage_ledger_org_endpoint_ts ON usage_ledger (org_id, endpoint, ts);

-- Append-only: rows are never changed or removed by the service.
CREATE FUNCTION usage_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'usage_ledger is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER usage_ledger_no_update_delete BEFORE UPDATE OR DELETE ON usage_ledger
  FOR EACH ROW EXECUTE FUNCTION usage_ledger_append_only();
CREATE TRIGGER usage_ledger_no_truncate BEFORE TRUNCATE ON usage_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION usage_ledger_append_only();
