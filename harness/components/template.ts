/** Fills {{name}} placeholders in a service config template; a missing value is a bug, so it throws. */
import { readFileSync } from 'node:fs';

export function renderTemplate(path: string, values: Record<string, string | number>): string {
  return readFileSync(path, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${path} needs a value for {{${key}}}`);
    return String(value);
  });
}
