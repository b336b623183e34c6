/**
 * The smallest app on faultline's contract, for specs of "your own app": Python 3's stdlib only
 * (no database client, so any python3 runs it, in a container too), health on /healthz and /, its
 * own environment back as JSON on /env, X-Served-By on every answer, 404 elsewhere.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stdlib-only app: health, and its own environment back as JSON (what the contract gave it). */
export const ECHO_APP = `
import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path not in ('/', '/healthz', '/env'):
            self.send_error(404)
            return
        body = json.dumps({k: v for k, v in os.environ.items() if k.isupper()}).encode() if self.path == '/env' else b'ok'
        self.send_response(200)
        self.send_header('X-Served-By', os.environ['FAULTLINE_INSTANCE'])
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
print('echo app ready', flush=True)
ThreadingHTTPServer((os.environ['HOST'], int(os.environ['PORT'])), Handler).serve_forever()
`;

/** Writes app.py (and a Dockerfile that runs it on python3) into `dir`. */
export function writeEchoApp(dir: string): void {
  writeFileSync(join(dir, 'app.py'), ECHO_APP);
  writeFileSync(
    join(dir, 'Dockerfile'),
    ['ARG BASE=python:3.12-slim', 'FROM $BASE', 'COPY app.py /app.py', 'CMD ["python3", "/app.py"]', ''].join(
      '\n',
    ),
  );
}
