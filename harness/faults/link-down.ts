/** Takes a link down: its proxy stops listening and drops every open connection (enabled: false). */
import { z } from 'zod';
import { defineFault, type Fault, type FaultContext } from './fault.ts';
import { connectRefused, hasLink, linkProxy, proxyState, setEnabled } from './toxics.ts';
import { until } from './wait.ts';

/** Disabled in Toxiproxy's own state, and a connect to its listen address is refused. */
export async function linkIsDown(ctx: FaultContext, link: string): Promise<boolean> {
  const proxy = linkProxy(ctx.topology, link);
  const state = await proxyState(proxy);
  return !state.enabled && (await connectRefused(state.listen));
}

/** Enables the link and waits until its listen address accepts connections again. */
export async function linkUp(ctx: FaultContext, link: string): Promise<void> {
  const proxy = linkProxy(ctx.topology, link);
  await setEnabled(proxy, true);
  const { listen } = await proxyState(proxy);
  await until(async () => !(await connectRefused(listen)), {
    timeoutMs: 5000,
    what: `${link} to accept connections`,
    code: 'fault.heal',
  });
}

export function linkDownFault(kind: string, link: string): Fault {
  return {
    kind,
    id: `${kind}:${link}`,
    async inject(ctx) {
      await setEnabled(linkProxy(ctx.topology, link), false);
    },
    verify: (ctx) => linkIsDown(ctx, link),
    async heal(ctx) {
      if (hasLink(ctx.topology, link)) await linkUp(ctx, link);
    },
  };
}

export const linkDown = defineFault({
  kind: 'link-down',
  description: 'disables a link: connects are refused and open connections dropped; heal enables it',
  params: z.object({ link: z.string().min(1) }).strict(),
  targets: ({ link }) => [{ param: 'link', link }],
  create: ({ link }) => linkDownFault('link-down', link),
});
