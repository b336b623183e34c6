/** faultline's public API: named exports only. */
export { ExitCode, FaultlineError } from './core/errors.ts';
export { ApiError } from './toxiproxy/api-error.ts';
export { TOXIPROXY_VERSION, ToxiproxyServer, type ToxiproxyServerOptions } from './toxiproxy/api-server.ts';
