/**
 * The toxics of one proxy, as two ordered chains (upstream, downstream), and the live links they
 * apply to. Changes reach every open connection before the API call returns (Toxiproxy's
 * ToxicCollection).
 */
import { ApiErrors } from './api-error.ts';
import { asBadRequest, decodeStruct, type GoStruct } from './go-json.ts';
import type { Link } from './link.ts';
import { type Direction, Toxic } from './toxic.ts';
import { toxicKinds } from './toxics/registry.ts';
import type { Attributes, ToxicKind } from './toxics/toxic.ts';

/**
 * AddToxicJson decodes the body twice: into the wrapper, whose attributes are still an empty
 * NoopToxic (so only their JSON type is checked), then, once the type is known, the attributes alone.
 */
const noopAttributes: GoStruct = { name: 'NoopToxic', type: 'toxics.NoopToxic', fields: {} };
const wrapperStruct: GoStruct = {
  name: 'ToxicWrapper',
  type: 'toxics.ToxicWrapper',
  fields: {
    attributes: noopAttributes,
    name: 'string',
    type: 'string',
    stream: 'string',
    toxicity: 'float32',
  },
};

function attributesStruct(kind: ToxicKind): GoStruct {
  return { name: kind.goName, type: `toxics.${kind.goName}`, fields: kind.fields };
}

/** The anonymous structs the real server decodes attributes (and, on update, toxicity) into. */
function attributesOnly(kind: ToxicKind): GoStruct {
  const type = 'struct { Attributes interface {} "json:\\"attributes\\"" }';
  return { name: '', type, fields: { attributes: attributesStruct(kind) } };
}

function updateStruct(kind: ToxicKind): GoStruct {
  const type =
    'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }';
  return { name: '', type, fields: { attributes: attributesStruct(kind), toxicity: 'float32' } };
}

function parseDirection(stream: string): Direction | undefined {
  const lower = stream.toLowerCase();
  return lower === 'upstream' || lower === 'downstream' ? lower : undefined;
}

function refuse(kind: ToxicKind, attributes: Attributes): void {
  const reason = kind.reject?.(attributes);
  if (reason) throw ApiErrors.badRequestBody.wrap(`${kind.type}: ${reason}`);
}

export class ToxicCollection {
  private readonly chains: Record<Direction, Toxic[]> = { upstream: [], downstream: [] };
  private readonly links = new Set<Link>();

  /** Upstream chain first, then downstream, each in chain order (the order GET returns). */
  list(): Toxic[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  chain(direction: Direction): readonly Toxic[] {
    return this.chains[direction];
  }

  find(name: string): Toxic | undefined {
    return this.list().find((t) => t.name === name);
  }

  get(name: string): Toxic {
    const toxic = this.find(name);
    if (!toxic) throw ApiErrors.toxicNotFound;
    return toxic;
  }

  attach(link: Link): void {
    this.links.add(link);
  }

  detach(link: Link): void {
    this.links.delete(link);
  }

  async add(body: unknown): Promise<Toxic> {
    const head = { name: '', type: '', stream: 'downstream', toxicity: 1 };
    asBadRequest(() => decodeStruct(body, wrapperStruct, head));
    const direction = parseDirection(head.stream);
    if (!direction) throw ApiErrors.invalidStream;
    const name = head.name || `${head.type}_${head.stream}`;
    const kind = toxicKinds.get(head.type);
    if (!kind) throw ApiErrors.invalidToxicType;
    if (this.find(name)) throw ApiErrors.toxicAlreadyExists;
    const input = { attributes: kind.defaults() };
    asBadRequest(() => decodeStruct(body, attributesOnly(kind), input));
    refuse(kind, input.attributes);
    const toxic = new Toxic(kind, name, head.stream, direction, head.toxicity, input.attributes);
    this.chains[direction].push(toxic);
    await this.eachLink(direction, (link) => link.addToxic(toxic));
    return toxic;
  }

  /** Merges new attribute values and toxicity into the toxic; other fields are ignored. */
  async update(name: string, body: unknown): Promise<Toxic> {
    const toxic = this.get(name);
    const input = { attributes: { ...toxic.attributes }, toxicity: toxic.toxicity };
    asBadRequest(() => decodeStruct(body, updateStruct(toxic.kind), input));
    refuse(toxic.kind, input.attributes);
    Object.assign(toxic.attributes, input.attributes);
    toxic.toxicity = input.toxicity;
    await this.eachLink(toxic.direction, (link) => link.updateToxic(toxic));
    return toxic;
  }

  async remove(name: string): Promise<void> {
    const toxic = this.get(name);
    const chain = this.chains[toxic.direction];
    chain.splice(chain.indexOf(toxic), 1);
    await this.eachLink(toxic.direction, (link) => link.removeToxic(toxic));
  }

  async reset(): Promise<void> {
    for (const toxic of this.list()) await this.remove(toxic.name);
  }

  private async eachLink(direction: Direction, change: (link: Link) => Promise<void>): Promise<void> {
    const links = [...this.links].filter((l) => l.direction === direction);
    await Promise.all(links.map(change));
  }
}
