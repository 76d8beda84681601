-- Manual-review decisions: who decided what, when, on which request. Append-only; one decision per
-- case (decisions are final), so a retried or concurrent second decision is refused by the key.
-- No images and no ID numbers.
CREATE TABLE review_decisions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id      text        NOT NULL,
  request_id  text        NOT NULL,
  endpoint    text        NOT NULL,
  verdict     text        NOT NULL,
  decision    text        NOT NULL CHECK (decision IN ('APPROVE', 'REJECT')),
  note        text        NOT NULL,
  reviewer    text        NOT NULL,
  key_id      text        NOT NULL,
  decided_at  timestamptz NOT NULL,
  UNIQUE (org_id, request_id)
);

CREATE FUNCTION review_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'review_decisions is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER review_decisions_no_update_delete BEFORE UPDATE OR DELETE ON review_decisions
  FOR EACH ROW EXECUTE FUNCTION review_decisions_append_only();
CREATE TRIGGER review_decisions_no_truncate BEFORE TRUNCATE ON review_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION review_decisions_append_only();
