/** A toxic as the API knows it (Toxiproxy's ToxicWrapper): shared by every connection of its proxy. */
import { float32Json } from './go-json.ts';
import type { Attributes, ToxicKind } from './toxics/toxic.ts';

export type Direction = 'upstream' | 'downstream';

export class Toxic {
  constructor(
    readonly kind: ToxicKind,
    readonly name: string,
    /** As the client spelled it ("Upstream" is accepted and echoed back, like Toxiproxy). */
    readonly stream: string,
    readonly direction: Direction,
    /** A float32, as in Go. */
    public toxicity: number,
    /** Updated in place, so running connections see new values at once. */
    readonly attributes: Attributes,
  ) {}

  get type(): string {
    return this.kind.type;
  }

  toJSON() {
    const { attributes, name, type, stream } = this;
    return { attributes, name, type, stream, toxicity: float32Json(this.toxicity) };
  }
}
