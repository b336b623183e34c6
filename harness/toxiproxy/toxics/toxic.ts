/** The contract every toxic file implements (one toxic per file, like Toxiproxy's toxics/*.go). */
import type { Random } from '../../core/random.ts';
import type { ToxicStub } from './stub.ts';

/** Every toxic attribute is a Go int64 (or int, also 64-bit), kept exactly. */
export type Attributes = Record<string, bigint>;

export interface ToxicKind<A extends Attributes = Attributes> {
  /** The `type` in the API, e.g. "latency". */
  readonly type: string;
  /** Go struct name, used in decode error texts. */
  readonly goName: string;
  /** Attribute names and Go types; the JSON shape of `attributes`. */
  readonly fields: { readonly [K in keyof A]: 'int64' | 'int' };
  /** Zero values, as Go's struct would start. */
  defaults(): A;
  /** Why these attributes would crash or hang the real server (answered with 400), or undefined. */
  reject?(attributes: A): string | undefined;
  /** Fresh per-connection state for stateful toxics. */
  newState?(): unknown;
  /** Moves events from input to output until interrupted or the stream closes. */
  pipe(stub: ToxicStub, attributes: A, random: Random): Promise<void>;
  /** Runs when the toxic is removed from a live connection (timeout closes the stream). */
  cleanup?(stub: ToxicStub): void;
}

export function defineToxic<A extends Attributes>(kind: ToxicKind<A>): ToxicKind {
  return kind as unknown as ToxicKind;
}
