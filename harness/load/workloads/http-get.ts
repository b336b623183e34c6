import type { Workload } from './workload.ts';

/** The same GET every time (the standalone `faultline load <url>`). */
export function httpGet(path: string): Workload {
  return {
    name: 'http-get',
    run: async (op) => {
      await op.send({ name: `GET ${path}`, target: 'lb', method: 'GET', path });
    },
  };
}
