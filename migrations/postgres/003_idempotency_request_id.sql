-- The request id of the request that claimed the key. A retry that takes over the claim of a request
-- that died (after its lease) runs under the same request id, so the ledger's unique request_id
-- keeps it from being charged twice if the first attempt was already recorded.
ALTER TABLE idempotency_keys ADD COLUMN request_id text;
