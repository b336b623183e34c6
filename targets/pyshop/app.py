#!/usr/bin/python3
"""pyshop: the shop's HTTP API in Python 3, configured only by faultline's environment contract.

Run with Debian's interpreter (/usr/bin/python3: python3-psycopg2 and python3-redis live there).
Prints one line on stdout once it serves; exits 0 after SIGTERM/SIGINT, 1 when it cannot listen,
2 on a bad environment (one line on stderr).
"""

import errno
import hashlib
import json
import os
import re
import secrets
import select
import signal
import socket
import socketserver
import stat
import sys
import threading
import time
import traceback
from bisect import bisect
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import psycopg2
import psycopg2.extensions
import psycopg2.pool
import redis

DB_TIMEOUT_S = 1.0  # every connect + query, client side
REDIS_TIMEOUT_S = 0.25  # every Redis command and connect
SKIP_S = 1.0  # a node that timed out is skipped this long (then one trial call)
POOL_SIZE = 16  # connections per database node
CACHE_TTL_S = 30  # unless CACHE_TTL_SECONDS says otherwise (the target's cacheTtl option)
STATIC_MAX_AGE_S = 5
SESSION_TTL_S = 24 * 3600
SESSION_COOKIE = "shop.sid"  # the name faultline's cart-journey workload looks for
MAX_BODY = 64 * 1024
INT4_MAX = 2_147_483_647
APP_STATIC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")  # unless STATIC_DIR is set


# ---------------------------------------------------------------------------------------------
# Configuration: the environment contract


class ConfigError(Exception):
    pass


@dataclass
class Node:
    name: str
    url: str


@dataclass
class Config:
    instance: str
    host: str
    port: int
    primary: Node
    replicas: list = field(default_factory=list)
    caches: list = field(default_factory=list)
    session_url: str = ""
    cache_ttl_s: int = CACHE_TTL_S
    static_dir: str = ""  # STATIC_DIR: served live from there; "" serves APP_STATIC_DIR, read once


def split_list(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def named_nodes(env, urls_var, names_var):
    """URLs and names come as two lists in the same order; a mismatch is a harness bug worth stopping for."""
    urls, names = split_list(env.get(urls_var)), split_list(env.get(names_var))
    if len(urls) != len(names):
        raise ConfigError(f"{urls_var} has {len(urls)} entries but {names_var} has {len(names)}")
    if len(set(names)) != len(names):
        raise ConfigError(f"{names_var} repeats a name: {','.join(names)}")
    return [Node(name, url) for name, url in zip(names, urls)]


def load_config(env):
    port_text = env.get("PORT", "")
    if not re.fullmatch(r"\d{1,5}", port_text) or int(port_text) > 65535:
        raise ConfigError(f"PORT must be a port number 0-65535, got {port_text!r}")
    if not env.get("DATABASE_URL"):
        raise ConfigError("DATABASE_URL is not set (postgres://user@host:port/db expected)")
    return Config(
        instance=env.get("FAULTLINE_INSTANCE") or "web-1",
        host=env.get("HOST") or "0.0.0.0",
        port=int(port_text),
        primary=Node(env.get("DATABASE_PRIMARY_NAME") or "pg-primary", env["DATABASE_URL"]),
        replicas=named_nodes(env, "DATABASE_REPLICA_URLS", "DATABASE_REPLICA_NAMES"),
        caches=named_nodes(env, "CACHE_REDIS_URLS", "CACHE_REDIS_NAMES"),
        session_url=env.get("SESSION_REDIS_URL", ""),
        cache_ttl_s=cache_ttl(env.get("CACHE_TTL_SECONDS")),
        static_dir=static_dir(env.get("STATIC_DIR")),
    )


def cache_ttl(text):
    if text is None or text == "":
        return CACHE_TTL_S
    if not re.fullmatch(r"\d{1,5}", text) or int(text) < 1:
        raise ConfigError(f"CACHE_TTL_SECONDS must be a whole number of seconds, at least 1, got {text!r}")
    return int(text)


def static_dir(text):
    """STATIC_DIR made absolute, or "" when it is not set."""
    if text is None or text == "":
        return ""
    try:
        problem = "" if stat.S_ISDIR(os.stat(text).st_mode) else "not a directory"
    except OSError as err:
        problem = (err.strerror or type(err).__name__).lower()  # no such file or directory, permission denied
    if not problem and not os.access(text, os.R_OK | os.X_OK):
        problem = "not readable by this user"
    if problem:
        raise ConfigError(
            f"STATIC_DIR must name a directory holding the static files, got {text!r} ({problem}); "
            "create it and copy the files in, or unset STATIC_DIR to serve the app's own static/"
        )
    return os.path.abspath(text)


# ---------------------------------------------------------------------------------------------
# A node that timed out is skipped for a while: a frozen node must not cost every request a timeout.


class Breaker:
    def __init__(self):
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._tripped = False

    def allow(self):
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                return False
            if self._tripped:
                self._open_until = now + SKIP_S  # this call is the trial; others wait for its outcome
            return True

    def success(self):
        with self._lock:
            self._tripped, self._open_until = False, 0.0

    def failed(self, slow):
        # Refused connections fail fast and cost nothing: only slow failures open the breaker.
        if slow:
            with self._lock:
                self._tripped, self._open_until = True, time.monotonic() + SKIP_S


# ---------------------------------------------------------------------------------------------
# PostgreSQL: a pool per node, every call bounded on the client side


class DbTimeout(Exception):
    pass


class DbUnavailable(Exception):
    """The database cannot serve this request: the HTTP layer answers 503."""


def first_line(err):
    """libpq's messages run over several lines (with hints); an error body needs the first."""
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


_deadline = threading.local()


def wait_with_deadline(conn):
    """psycopg2 wait callback (every connect and query goes through it).

    statement_timeout and connect_timeout are enforced by the server and libpq; a frozen link
    delivers neither, so the deadline of the current call is kept here, on the client.
    """
    deadline = getattr(_deadline, "at", time.monotonic() + DB_TIMEOUT_S)
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        events = select.POLLIN if state == psycopg2.extensions.POLL_READ else select.POLLOUT
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DbTimeout(f"no answer within {DB_TIMEOUT_S:g} s")
        poller = select.poll()  # poll, not select: a busy process may hold fds above 1024
        poller.register(conn.fileno(), events)
        poller.poll(remaining * 1000)


def idle_conn_is_stale(conn):
    """An idle connection has nothing to read unless its server said goodbye (shut down, restarted)."""
    if conn.closed:
        return True
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    return bool(poller.poll(0))


class DbNode:
    def __init__(self, node, instance):
        self.name = node.name
        self.breaker = Breaker()
        self._slots = threading.BoundedSemaphore(POOL_SIZE)
        # minconn 0 so a down database never stops start-up; raised afterwards, because this pool
        # keeps only `minconn` idle connections and would otherwise reconnect for every query.
        self._pool = psycopg2.pool.ThreadedConnectionPool(
            0,
            POOL_SIZE,
            node.url,
            application_name=instance,
            connect_timeout=max(1, round(DB_TIMEOUT_S)),
            options=f"-c statement_timeout={int(DB_TIMEOUT_S * 1000)}",
        )
        self._pool.minconn = POOL_SIZE

    def query(self, sql, args, admitted=False):
        """Rows of one autocommit statement, within DB_TIMEOUT_S all told (waiting for a slot included).

        `admitted`: the caller already asked the breaker (asking again would use up a trial call).
        """
        if not admitted and not self.breaker.allow():
            raise DbTimeout(f"{self.name} skipped: it timed out less than {SKIP_S:g} s ago")
        started = time.monotonic()
        _deadline.at = started + DB_TIMEOUT_S
        try:
            rows = self._run(sql, args)
        except Exception:
            self.breaker.failed(time.monotonic() - started >= 0.8 * DB_TIMEOUT_S)
            raise
        self.breaker.success()
        return rows

    def _run(self, sql, args):
        if not self._slots.acquire(timeout=DB_TIMEOUT_S):
            raise DbTimeout(f"{self.name}: no free connection within {DB_TIMEOUT_S:g} s")
        try:
            conn = self._checkout()
            try:
                with conn.cursor() as cursor:
                    cursor.execute(sql, args)
                    rows = cursor.fetchall()
            except Exception as err:
                broken = conn.closed or isinstance(err, (psycopg2.OperationalError, psycopg2.InterfaceError, DbTimeout))
                self._pool.putconn(conn, close=broken)
                raise
            self._pool.putconn(conn)
            return rows
        finally:
            self._slots.release()

    def _checkout(self):
        # Connections left over from before a node restart are dropped here, so the first request
        # after the node is back does not fail on one.
        for _ in range(POOL_SIZE + 1):
            conn = self._pool.getconn()
            if not idle_conn_is_stale(conn):
                conn.autocommit = True
                return conn
            self._pool.putconn(conn, close=True)
        raise DbTimeout(f"{self.name}: no usable connection")

    def close(self):
        self._pool.closeall()


READ_SQL = "SELECT id, name, price_cents, version FROM products WHERE id = %s"
WRITE_SQL = """UPDATE products
                  SET version = version + 1, price_cents = coalesce(%s, price_cents), updated_at = now()
                WHERE id = %s
            RETURNING id, version"""

# The node is the committing server's own name, not the one pyshop was told: behind a failover
# proxy, DATABASE_URL names the proxy, and the read-back must know which node acknowledged the write.
LEDGER_INSERT_SQL = """INSERT INTO faultline_ledger (id, node) VALUES (%s, current_setting('faultline.node'))
                       ON CONFLICT (id) DO NOTHING
                    RETURNING node"""
# A statement of its own: ON CONFLICT waits for a concurrent insert of the same id to commit, but
# the insert's snapshot predates that commit, so only a new statement sees the row.
LEDGER_READ_SQL = "SELECT node FROM faultline_ledger WHERE id = %s"


@dataclass
class ReadResult:
    product: dict  # None when the id is unknown
    node: str
    fallback: str = ""  # why the primary answered a read meant for a replica


class Database:
    def __init__(self, config):
        self.primary = DbNode(config.primary, config.instance)
        self.replicas = [DbNode(node, config.instance) for node in config.replicas]
        self._next = 0
        self._lock = threading.Lock()

    def read(self, product_id):
        replica, fallback = self._pick_replica(), "unavailable"
        if not self.replicas:
            fallback = ""
        elif replica:
            try:
                return ReadResult(self._read_from(replica, product_id, admitted=True), replica.name)
            except Exception:
                fallback = f"error:{replica.name}"
        return ReadResult(self._read_from(self.primary, product_id, unavailable=True), self.primary.name, fallback)

    def write(self, product_id, price_cents):
        """{id, version} after the bump, or None for an unknown id."""
        try:
            rows = self.primary.query(WRITE_SQL, (price_cents, product_id))
        except Exception as err:
            raise DbUnavailable(f"{self.primary.name} unavailable: {first_line(err)}") from err
        return {"id": rows[0][0], "version": rows[0][1]} if rows else None

    def ledger_write(self, ledger_id):
        """(node, created): the id recorded once on the primary; a duplicate answers the node that stored it."""
        try:
            rows = self.primary.query(LEDGER_INSERT_SQL, (ledger_id,))
            if rows:
                return rows[0][0], True
            rows = self.primary.query(LEDGER_READ_SQL, (ledger_id,))
        except Exception as err:
            raise DbUnavailable(f"{self.primary.name} unavailable: {first_line(err)}") from err
        if not rows:
            raise DbUnavailable(f"{self.primary.name}: ledger id {ledger_id} conflicted, yet is not there")
        return rows[0][0], False

    def _read_from(self, node, product_id, unavailable=False, admitted=False):
        try:
            rows = node.query(READ_SQL, (product_id,), admitted)
        except Exception as err:
            if unavailable:
                raise DbUnavailable(f"{node.name} unavailable: {first_line(err)}") from err
            raise
        if not rows:
            return None
        pid, name, price, version = rows[0]
        return {"id": pid, "name": name, "price_cents": price, "version": version}

    def _pick_replica(self):
        """Round-robin over the replicas, passing over any its breaker currently skips."""
        with self._lock:
            start = self._next
            self._next = (start + 1) % max(1, len(self.replicas))
        order = self.replicas[start:] + self.replicas[:start]
        return next((r for r in order if r.breaker.allow()), None)

    def close(self):
        for node in [self.primary, *self.replicas]:
            node.close()


# ---------------------------------------------------------------------------------------------
# Redis: the product cache (consistent hashing by node name) and the session store


def redis_client(url):
    # One retry on a connection error only: it replaces a pooled connection the server closed
    # (restart); a timeout is not retried, so a frozen node costs one REDIS_TIMEOUT_S.
    return redis.Redis.from_url(
        url,
        socket_timeout=REDIS_TIMEOUT_S,
        socket_connect_timeout=REDIS_TIMEOUT_S,
        retry_on_error=[redis.exceptions.ConnectionError],
    )


class Ring:
    """Consistent hashing keyed by node NAME: every instance reaches the nodes at its own proxy
    ports, and all must still agree where a key lives. md5, not hash(): Python salts hash() per process.
    """

    POINTS = 160  # virtual points per node, for an even spread

    def __init__(self, names):
        points = sorted((self._hash(f"{name}#{i}"), name) for name in names for i in range(self.POINTS))
        self._hashes = [h for h, _ in points]
        self._names = [n for _, n in points]

    @staticmethod
    def _hash(text):
        return int.from_bytes(hashlib.md5(text.encode()).digest()[:8], "big")

    def owner(self, key):
        return self._names[bisect(self._hashes, self._hash(key)) % len(self._names)]


@dataclass
class CacheRead:
    status: str  # hit | miss | error | off
    node: str = ""
    value: bytes = b""


class Cache:
    """An optimisation, never a dependency: a failing node is reported, and the caller reads the database."""

    def __init__(self, nodes, ttl_s=CACHE_TTL_S):
        self._ttl_s = ttl_s
        self._nodes = {n.name: (redis_client(n.url), Breaker()) for n in nodes}
        self._ring = Ring([n.name for n in nodes]) if nodes else None

    def get(self, key):
        if not self._ring:
            return CacheRead("off")
        name = self._ring.owner(key)
        try:
            value = self._call(name, lambda c: c.get(key))
        except Exception:
            return CacheRead("error", name)
        return CacheRead("miss", name) if value is None else CacheRead("hit", name, value)

    def set(self, key, value):
        return self._write(key, lambda c: c.set(key, value, ex=self._ttl_s), "set")

    def delete(self, key):
        return self._write(key, lambda c: c.delete(key), "del")

    def _write(self, key, command, done):
        if not self._ring:
            return "off"
        try:
            self._call(self._ring.owner(key), command)
        except Exception:
            return "error"
        return done

    def _call(self, name, command):
        client, breaker = self._nodes[name]
        if not breaker.allow():
            raise TimeoutError(f"{name} skipped: it timed out less than {SKIP_S:g} s ago")
        started = time.monotonic()
        try:
            result = command(client)
        except Exception:
            breaker.failed(time.monotonic() - started >= 0.8 * REDIS_TIMEOUT_S)
            raise
        breaker.success()
        return result

    def close(self):
        for client, _ in self._nodes.values():
            client.close()


class StoreDown(Exception):
    """The session store cannot answer: the HTTP layer answers 503."""


class MemorySessions:
    """The stateful tier: sessions die with the process, so the load balancer must pin clients."""

    def __init__(self):
        self._sessions = {}
        self._lock = threading.Lock()

    def load(self, sid):
        with self._lock:
            found = self._sessions.get(sid)
            return json.loads(found) if found else None

    def save(self, sid, session):
        with self._lock:
            self._sessions[sid] = json.dumps(session)

    def close(self):
        pass


class RedisSessions:
    """The stateless tier: any instance serves any session, even after the one that made it is gone."""

    PREFIX = "pyshop:sess:"

    def __init__(self, url):
        self._client = redis_client(url)

    def load(self, sid):
        try:
            found = self._client.get(self.PREFIX + sid)
        except redis.exceptions.RedisError as err:
            raise StoreDown(f"session store unavailable: {err}") from err
        return json.loads(found) if found else None

    def save(self, sid, session):
        try:
            self._client.set(self.PREFIX + sid, json.dumps(session), ex=SESSION_TTL_S)
        except redis.exceptions.RedisError as err:
            raise StoreDown(f"session store unavailable: {err}") from err

    def close(self):
        self._client.close()


# ---------------------------------------------------------------------------------------------
# Static files, served with validators so a CDN edge can cache and revalidate: the app's own are
# read once at start; those in STATIC_DIR when asked for, since faultline may change them meanwhile.


@dataclass
class StaticFile:
    body: bytes
    content_type: str
    etag: str
    mtime: int
    last_modified: str


CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def load_static(directory):
    files = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            body = f.read()
        files[name] = static_entry(name, body, os.stat(path).st_mtime)
    return files


def static_entry(name, body, st_mtime):
    mtime = int(st_mtime)
    content_type = CONTENT_TYPES.get(os.path.splitext(name)[1], "application/octet-stream")
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    return StaticFile(body, content_type, etag, mtime, formatdate(mtime, usegmt=True))


def plain_name(name):
    """A file directly in STATIC_DIR: the route already keeps "/" out; no "." or "..", no hidden file
    (nor a deploy tool's temporary ".name.XXXX"), no NUL (os.stat would raise)."""
    return bool(name) and not name.startswith(".") and "\0" not in name


class LiveStatic:
    """The files in STATIC_DIR, each read when asked for: a file changed there (a deploy) is served at
    once. os.stat on every request; the file is read again only when its stat changes, and the stat
    covers a rename over it (inode) and a rewrite that keeps size and mtime (ctime). The ETag hashes the
    content, as for the app's own files: identical content keeps its ETag.

    Same interface as the dict load_static returns: get(name) is a StaticFile, or None (404).
    """

    READS = 3  # a file that changes under every read is served as last read, uncached

    def __init__(self, directory):
        self._dir = directory
        self._files = {}  # name -> (stat key, StaticFile)
        self._lock = threading.Lock()

    @staticmethod
    def _key(st):
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def get(self, name):
        if not plain_name(name):
            return None
        path = os.path.join(self._dir, name)
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):  # a directory, a FIFO (open would block), a socket
                raise FileNotFoundError(errno.ENOENT, "not a regular file", name)
            with self._lock:
                cached = self._files.get(name)
            if cached and cached[0] == self._key(st):
                return cached[1]
            return self._read(name, path)
        except OSError as err:
            # Gone, or never there (no such file, a name too long, a symlink loop): 404, as for the
            # app's own. Anything else (permission denied, an I/O error) goes up: the route answers 500.
            with self._lock:
                self._files.pop(name, None)
            if err.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP):
                return None
            raise

    def _read(self, name, path):
        # O_NONBLOCK: should a FIFO replace the file between stat and open, open must not wait for a writer.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            for _ in range(self.READS):
                before = os.fstat(f.fileno())
                if not stat.S_ISREG(before.st_mode):
                    raise FileNotFoundError(errno.ENOENT, "not a regular file", name)
                f.seek(0)
                body = f.read()
                after = os.fstat(f.fileno())
                if self._key(after) == self._key(before):
                    break
        file = static_entry(name, body, after.st_mtime)
        if self._key(after) == self._key(before):  # else written to while read: maybe torn, not kept
            with self._lock:
                self._files[name] = (self._key(after), file)
        return file


def not_modified(file, headers):
    """If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)."""
    tags = headers.get("If-None-Match")
    if tags is not None:
        return tags.strip() == "*" or file.etag in [t.strip().removeprefix("W/") for t in tags.split(",")]
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return file.mtime <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


# ---------------------------------------------------------------------------------------------
# HTTP


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: list = field(default_factory=list)


def json_response(status, value, headers=None):
    return Response(status, json.dumps(value).encode(), headers=headers or [])


def error(status, message, headers=None):
    return json_response(status, {"error": message}, headers)


class BadRequest(Exception):
    pass


LEDGER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # used with fullmatch: $ would let a trailing newline in


def parse_id(raw):
    """Integers only; one outside PostgreSQL's int range cannot exist, so it is 404, not 400."""
    if not re.fullmatch(r"-?\d{1,20}", raw):
        return None, error(400, "id must be an integer")
    product_id = int(raw)
    if product_id < 1 or product_id > INT4_MAX:
        return None, error(404, "product not found")
    return product_id, None


def json_body(raw, required):
    """The request body as a JSON object; an empty body is {} unless one is required."""
    if not raw.strip():
        if required:
            raise BadRequest("body must be a JSON object")
        return {}
    try:
        value = json.loads(raw)
    except ValueError as err:
        raise BadRequest(f"body is not valid JSON: {err}") from err
    if not isinstance(value, dict):
        raise BadRequest("body must be a JSON object")
    return value


def bounded_int(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def bounded_str(value, high):
    return isinstance(value, str) and 1 <= len(value) <= high


def cached_product(value):
    try:
        product = json.loads(value)
    except ValueError:
        return None  # a corrupt entry is a miss; the database read overwrites it
    return product if isinstance(product, dict) and isinstance(product.get("version"), int) else None


class Shop:
    """The routes, over the backends; each handler takes (request, match) and returns a Response."""

    def __init__(self, config):
        self.config = config
        self.db = Database(config)
        self.cache = Cache(config.caches, config.cache_ttl_s)
        self.sessions = RedisSessions(config.session_url) if config.session_url else MemorySessions()
        self.static = LiveStatic(config.static_dir) if config.static_dir else load_static(APP_STATIC_DIR)
        self.routes = [
            ("GET", re.compile(r"/healthz"), self.health),
            ("GET", re.compile(r"/products/([^/]+)"), self.read_product),
            ("POST", re.compile(r"/products/([^/]+)"), self.write_product),
            ("POST", re.compile(r"/ledger/([^/]*)"), self.ledger),
            ("POST", re.compile(r"/login"), self.login),
            ("GET", re.compile(r"/cart"), self.cart),
            ("POST", re.compile(r"/cart/items"), self.add_item),
            ("GET", re.compile(r"/static/([^/]+)"), self.static_file),
        ]

    def handle(self, request):
        method = "GET" if request.method == "HEAD" else request.method
        for route_method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if match and route_method == method:
                try:
                    return handler(request, match)
                except BadRequest as err:
                    return error(400, str(err))
                except DbUnavailable as err:
                    return error(503, str(err))
                except StoreDown as err:
                    return error(503, str(err))
        return error(404, f"no route {request.method} {request.path}")

    # Process health only: the load balancer must not eject every instance when the database is down.
    def health(self, _request, _match):
        return Response(200, b"ok", "text/plain; charset=utf-8")

    def read_product(self, _request, match):
        product_id, problem = parse_id(match.group(1))
        if problem:
            return problem
        key = f"product:{product_id}"
        cached = self.cache.get(key)
        headers = [("X-Cache-Node", cached.node)] if cached.node else []
        hit = cached_product(cached.value) if cached.status == "hit" else None
        if hit:
            return json_response(200, hit, headers + [("X-Cache", "hit"), ("X-Version", str(hit["version"]))])
        headers.append(("X-Cache", "miss" if cached.status == "hit" else cached.status))

        try:
            result = self.db.read(product_id)
        except DbUnavailable as err:
            return error(503, str(err), headers)  # with X-Cache: what the cache said still holds
        headers.append(("X-Read-From", result.node))
        if result.fallback:
            headers.append(("X-DB-Fallback", result.fallback))
        if result.product is None:
            return error(404, "product not found", headers)
        # Fill only after a real miss: after an error the node is down or frozen anyway.
        if cached.status in ("miss", "hit"):
            self.cache.set(key, json.dumps(result.product))
        return json_response(200, result.product, headers + [("X-Version", str(result.product["version"]))])

    def write_product(self, request, match):
        product_id, problem = parse_id(match.group(1))
        if problem:
            return problem
        price = json_body(request.body, required=False).get("price_cents")
        if price is not None and not bounded_int(price, 0, INT4_MAX):
            raise BadRequest(f"price_cents must be an integer from 0 to {INT4_MAX}")
        written = self.db.write(product_id, price)
        headers = [("X-Read-From", self.db.primary.name)]
        if written is None:
            return error(404, "product not found", headers)
        headers.append(("X-Cache-Write", self.cache.delete(f"product:{product_id}")))
        headers.append(("X-Version", str(written["version"])))
        return json_response(200, written, headers)

    def ledger(self, _request, match):
        """The ledger contract (docs/targets.md): after a primary loss faultline reads faultline_ledger
        back, and an id answered 2xx but missing there is an acknowledged write lost."""
        ledger_id = match.group(1)
        if not LEDGER_ID.fullmatch(ledger_id):
            return error(400, "id must be 1 to 64 of A-Z a-z 0-9 _ -")
        node, created = self.db.ledger_write(ledger_id)
        # A retry of a write that was acknowledged (or may have been) is answered, not refused: the
        # client learns where its id lives either way.
        return json_response(201 if created else 200, {"id": ledger_id, "node": node}, [("X-Written-To", node)])

    def login(self, request, _match):
        user = json_body(request.body, required=True).get("user")
        if not bounded_str(user, 100):
            raise BadRequest("user must be a string of 1 to 100 characters")
        sid = secrets.token_urlsafe(24)
        self.sessions.save(sid, {"user": user, "cart": []})
        cookie = f"{SESSION_COOKIE}={sid}; Path=/; Max-Age={SESSION_TTL_S}; HttpOnly; SameSite=Lax"
        return json_response(200, {"user": user}, [("Set-Cookie", cookie)])

    def cart(self, request, _match):
        session = self._session(request)
        if not session:
            return error(401, "no session")
        return json_response(200, {"user": session["user"], "items": session["cart"]})

    def add_item(self, request, _match):
        session = self._session(request)  # first, like the shop: a store outage is 503 before a 400
        item = json_body(request.body, required=True)
        sku, qty = item.get("sku"), item.get("qty")
        if not bounded_str(sku, 64) or not bounded_int(qty, 1, 1000):
            raise BadRequest("body must be {sku: string of 1 to 64 characters, qty: integer 1 to 1000}")
        if not session:
            return error(401, "no session")
        items = session["cart"]
        existing = next((i for i in items if i["sku"] == sku), None)
        if existing:
            existing["qty"] += qty
        else:
            items.append({"sku": sku, "qty": qty})
        self.sessions.save(request.cookies[SESSION_COOKIE], session)
        return json_response(200, {"items": items})

    def _session(self, request):
        sid = request.cookies.get(SESSION_COOKIE, "")
        # Only ids this app could have made reach the store (they become Redis keys).
        return self.sessions.load(sid) if re.fullmatch(r"[A-Za-z0-9_-]{32}", sid) else None

    def static_file(self, request, match):
        try:
            file = self.static.get(match.group(1))
        except OSError as err:  # only from STATIC_DIR: a file there this process may not read
            return error(500, f"cannot read static file: {err.strerror or err}")
        if not file:
            return error(404, "no such file")
        headers = [
            ("Cache-Control", f"public, max-age={STATIC_MAX_AGE_S}"),
            ("ETag", file.etag),
            ("Last-Modified", file.last_modified),
        ]
        if not_modified(file, request.headers):
            return Response(304, headers=headers)
        return Response(200, file.body, file.content_type, headers)

    def close(self):
        self.cache.close()
        self.sessions.close()
        self.db.close()


@dataclass
class Request:
    method: str
    path: str
    headers: object
    cookies: dict
    body: str


def parse_cookies(header):
    cookies = {}
    for part in (header or "").split(";"):
        name, eq, value = part.strip().partition("=")
        if eq and name:
            cookies.setdefault(name, value)
    return cookies


class InFlight:
    """Counts requests being handled, so shutdown can let them finish."""

    def __init__(self):
        self._count = 0
        self._idle = threading.Condition()

    def __enter__(self):
        with self._idle:
            self._count += 1

    def __exit__(self, *_):
        with self._idle:
            self._count -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout):
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, timeout)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: HAProxy and the load generator reuse connections
    disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would delay the second
    timeout = 60  # an idle keep-alive connection gives its thread back
    server_version = "pyshop"
    shop = None  # set by serve()
    in_flight = None

    def do_GET(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def log_message(self, *_args):
        pass  # one line per request would cost more than the request

    def _dispatch(self):
        with self.in_flight:
            try:
                response = self._respond()
            except Exception:
                traceback.print_exc()
                response = error(500, "internal error")
            self._send(response)

    def _respond(self):
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return error(411, "send a Content-Length, not a chunked body")
        length_text = self.headers.get("Content-Length", "0")
        if not length_text.isdigit():
            self.close_connection = True
            return error(400, "bad Content-Length")
        if int(length_text) > MAX_BODY:
            self.close_connection = True
            return error(413, f"body over {MAX_BODY} bytes")
        raw = self.rfile.read(int(length_text)).decode("utf-8", errors="replace")
        path = urlsplit(self.path).path
        request = Request(self.command, path, self.headers, parse_cookies(self.headers.get("Cookie")), raw)
        return self.shop.handle(request)

    def _send(self, response):
        self.send_response(response.status)
        self.send_header("X-Served-By", self.shop.config.instance)  # on every answer, errors too
        for name, value in response.headers:
            self.send_header(name, value)
        if response.status != 304:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.status != 304:
            self.wfile.write(response.body)


class Server(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up exit
    request_queue_size = 128  # the default 5 drops connections under a burst

    def server_bind(self):
        # HTTPServer.server_bind looks up the host's FQDN, a DNS query that can stall start-up.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class Server6(Server):
    address_family = socket.AF_INET6


def serve(config):
    shop = Shop(config)
    Handler.shop, Handler.in_flight = shop, InFlight()
    try:
        server = (Server6 if ":" in config.host else Server)((config.host, config.port), Handler)
    except OSError as err:
        print(f"pyshop {config.instance}: cannot listen on {config.host}:{config.port}: {err}", file=sys.stderr)
        return 1
    stopping = threading.Event()

    def stop(signum, _frame):
        if stopping.is_set():
            os._exit(1)  # a second signal: the operator does not want to wait
        stopping.set()
        # shutdown() waits for serve_forever to return, so it cannot run on serve_forever's thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host = f"[{config.host}]" if ":" in config.host else config.host
    print(f"pyshop {config.instance} listening on http://{host}:{server.server_address[1]}", flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    Handler.in_flight.wait_idle(3)  # bounded: a request stuck on a frozen backend is given up
    shop.close()
    print(f"pyshop {config.instance}: stopped", file=sys.stderr, flush=True)
    return 0


def main():
    try:
        config = load_config(os.environ)
    except ConfigError as err:
        print(f"pyshop: {err}", file=sys.stderr)
        return 2
    psycopg2.extensions.set_wait_callback(wait_with_deadline)
    return serve(config)


if __name__ == "__main__":
    sys.exit(main())
