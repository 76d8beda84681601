-- Idempotency-Key records: per organisation, a hash of the key, a hash of the request (never the
-- body), and the first answer, encrypted under a key derived from the Idempotency-Key itself.
CREATE TABLE idempotency_keys (
  org_id        text        NOT NULL,
  key_hash      text        NOT NULL,
  request_hash  text        NOT NULL,
  -- NULL while the first request is running.
  status        integer,
  response      bytea,
  locked_until  timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (org_id, key_hash)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
