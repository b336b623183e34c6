/**
 * Creates the shop's tables (schema.sql: products and the ledger) and fills products with `products`
 * deterministic rows (ids 1..products), so every run starts from the same catalogue. Safe to run
 * again: existing rows are left as they are.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';

export const schemaSql = readFileSync(new URL('../schema.sql', import.meta.url), 'utf8');

/** The schema and `products` seeded rows as one SQL text (what the target applies to its primary). */
export function seedSql(products = 1000): string {
  if (!Number.isInteger(products) || products < 0) {
    throw new Error(`products must be a non-negative integer, got ${products}`);
  }
  // Names and prices are pure functions of the id: no randomness, no clock.
  return `${schemaSql}
INSERT INTO products (id, name, price_cents, version)
SELECT id, 'Product ' || lpad(id::text, 5, '0'), 100 + (id * 7919) % 99900, 1
  FROM generate_series(1, ${products}) AS id
ON CONFLICT (id) DO NOTHING;
`;
}

export async function seedDatabase(client: pg.Client | pg.Pool, products = 1000): Promise<void> {
  await client.query(seedSql(products));
}
