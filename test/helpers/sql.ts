/** One statement's rows from a service of a started topology, on a connection of its own. */
import { sqlSession } from '../../harness/runtime/answers.ts';
import type { StartedTopology } from '../../harness/runtime/topology.ts';

export function rowsOf<T>(
  topology: StartedTopology,
  service: string,
  text: string,
  values?: unknown[],
): Promise<T[]> {
  const handle = topology.service(service);
  return sqlSession(handle.host, handle.ports.postgres as number, 3000, async (c) => {
    return (await c.query(text, values)).rows as T[];
  });
}
