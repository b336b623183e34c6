/**
 * The far end of the proxy benchmark, in its own process so the direct baseline crosses a process
 * boundary just like the proxied path: an echo server and a sink. Prints their addresses as JSON.
 */
import { listen } from '../test/helpers/tcp.ts';

const echo = await listen((socket) => {
  socket.setNoDelay(true);
  socket.pipe(socket);
});
const sink = await listen((socket) => socket.resume());
process.stdout.write(`${JSON.stringify({ echo: echo.address, sink: sink.address })}\n`);
process.once('SIGTERM', () => process.exit(0));
