-- The shop's tables. Idempotent: the harness may load it into a primary that already has it.

-- Every write bumps `version`, which is how faultline tells a stale read from a fresh one.
CREATE TABLE IF NOT EXISTS products (
  id          int         PRIMARY KEY,
  name        text        NOT NULL,
  price_cents int         NOT NULL,
  version     int         NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The ledger contract (docs/targets.md): one row per acknowledged POST /ledger/:id, with the id the
-- client made and the server that committed it, which the harness reads back after a primary loss
-- to count acknowledged writes lost.
CREATE TABLE IF NOT EXISTS faultline_ledger (
  id         text        PRIMARY KEY,
  node       text        NOT NULL,
  written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
