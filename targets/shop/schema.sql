-- The shop's only table. Every write bumps `version`, which is how faultline tells a stale read from a
-- fresh one. Idempotent: the harness may load it into a primary that already has it.
CREATE TABLE IF NOT EXISTS products (
  id          int         PRIMARY KEY,
  name        text        NOT NULL,
  price_cents int         NOT NULL,
  version     int         NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
