-- pyshop's catalogue. faultline applies this file to the primary before the first instance starts,
-- possibly more than once, so every statement is idempotent.
--
-- version counts writes: a read that returns a lower version than one already acknowledged is
-- stale, which is how faultline measures replica lag and cache staleness.
CREATE TABLE IF NOT EXISTS products (
  id          int         PRIMARY KEY,
  name        text        NOT NULL,
  price_cents int         NOT NULL,
  version     int         NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- 1000 products whose name and price follow from the id alone (no random(), no clock), so every
-- run starts from the same catalogue. Rows already there, written to or not, are left alone.
INSERT INTO products (id, name, price_cents, version)
SELECT n, format('Product %s', to_char(n, 'FM00000')), 100 + (n * 7919) % 99900, 1
  FROM generate_series(1, 1000) AS n
ON CONFLICT (id) DO NOTHING;

-- The ledger primary-loss reads back (docs/targets.md): POST /ledger/:id stores each client-made id
-- once, on the primary, with node = the committing server's faultline.node setting.
CREATE TABLE IF NOT EXISTS faultline_ledger (
  id         text        PRIMARY KEY,
  node       text        NOT NULL,
  written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
