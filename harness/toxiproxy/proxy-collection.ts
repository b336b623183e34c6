/** All proxies of one server, by name (Toxiproxy's ProxyCollection, including populate's rules). */
import type { Random } from '../core/random.ts';
import { ApiError, ApiErrors, toApiError } from './api-error.ts';
import { asBadRequest, decodeStruct, type GoStruct, jsonKind } from './go-json.ts';
import { canonicalAddress } from './listen-address.ts';
import { type ProxyConfig, ToxicProxy } from './proxy.ts';

/** Proxy's exported `Logger *zerolog.Logger` is decoded too: any object (or null), nothing else. */
const logger: GoStruct = { name: 'Logger', type: 'zerolog.Logger', fields: {} };
const proxyFields = {
  name: 'string',
  listen: 'string',
  upstream: 'string',
  enabled: 'bool',
  Logger: logger,
} as const;
const proxyStruct: GoStruct = { name: 'Proxy', type: 'toxiproxy.Proxy', fields: proxyFields };

/** What PopulateJson decodes each entry into: an anonymous struct embedding Proxy, with its own Enabled. */
const populateEntry: GoStruct = {
  name: '',
  type: 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }',
  fields: proxyFields,
  paths: { name: 'Proxy.name', listen: 'Proxy.listen', upstream: 'Proxy.upstream', Logger: 'Proxy.Logger' },
};

/** Decodes a proxy body over `defaults` (ProxyUpdate stops here: it requires nothing). */
export function decodeProxy(body: unknown, defaults: ProxyConfig, struct = proxyStruct): ProxyConfig {
  const config = { ...defaults };
  asBadRequest(() => decodeStruct(body, struct, config as unknown as Record<string, unknown>));
  return config;
}

/** ProxyCreate's and PopulateJson's checks: 400 "missing required field: ..." like the real server. */
export function requireFields(config: ProxyConfig, where = ''): ProxyConfig {
  if (!config.name) throw ApiErrors.missingField.wrap(`name${where}`);
  if (!config.upstream) throw ApiErrors.missingField.wrap(`upstream${where}`);
  return config;
}

export class PopulateError extends ApiError {
  constructor(
    cause: ApiError,
    readonly proxies: ToxicProxy[],
  ) {
    super(cause.message, cause.status);
  }
}

export class ProxyCollection {
  private readonly proxies = new Map<string, ToxicProxy>();

  constructor(private readonly random: Random) {}

  /** Sorted by name, as Go marshals a map. */
  all(): ToxicProxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): ToxicProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw ApiErrors.proxyNotFound;
    return proxy;
  }

  async add(config: ProxyConfig): Promise<ToxicProxy> {
    if (this.proxies.has(config.name)) throw ApiErrors.proxyAlreadyExists;
    const proxy = new ToxicProxy(config.name, config.listen, config.upstream, this.random);
    if (config.enabled) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }

  remove(name: string): void {
    this.get(name).stop();
    this.proxies.delete(name);
  }

  /** Applies a body to a proxy: a new listen or upstream restarts it; `enabled` starts or stops it. */
  async update(name: string, body: unknown): Promise<ToxicProxy> {
    const proxy = this.get(name);
    const { listen, upstream, enabled } = proxy;
    const input = decodeProxy(body, { name, listen, upstream, enabled });
    if (await differs(proxy, input)) {
      proxy.stop();
      proxy.listen = input.listen;
      proxy.upstream = input.upstream;
    }
    if (input.enabled !== proxy.enabled) {
      if (input.enabled) await proxy.start();
      else proxy.stop();
    }
    return proxy;
  }

  /**
   * Creates or replaces many proxies. Everything is validated before anything changes; a proxy whose
   * listen and upstream are unchanged is kept as it is, toxics included.
   */
  async populate(body: unknown): Promise<ToxicProxy[]> {
    if (body === null) return []; // Go decodes null into an empty list
    if (!Array.isArray(body)) {
      throw ApiErrors.badRequestBody.wrap(
        `json: cannot unmarshal ${jsonKind(body)} into Go value of type []${populateEntry.type}`,
      );
    }
    const defaults: ProxyConfig = { name: '', listen: '', upstream: '', enabled: true };
    // Go decodes the whole list before checking any entry, so a type error anywhere comes first.
    const decoded = body.map((item) => decodeProxy(item, defaults, populateEntry));
    const configs = decoded.map((config, i) => requireFields(config, ` at proxy ${i + 1}`));
    const done: ToxicProxy[] = [];
    for (const config of configs) {
      try {
        done.push(await this.addOrReplace(config));
      } catch (err) {
        throw new PopulateError(toApiError(err), done);
      }
    }
    return done;
  }

  /** Stops every proxy (server shutdown). */
  closeAll(): void {
    for (const proxy of this.proxies.values()) proxy.stop();
  }

  private async addOrReplace(config: ProxyConfig): Promise<ToxicProxy> {
    const existing = this.proxies.get(config.name);
    if (existing) {
      if (!(await differs(existing, config))) return existing;
      existing.stop();
      this.proxies.delete(config.name);
    }
    return this.add(config);
  }
}

async function differs(proxy: ToxicProxy, input: ProxyConfig): Promise<boolean> {
  return proxy.listen !== (await canonicalAddress(input.listen)) || proxy.upstream !== input.upstream;
}
