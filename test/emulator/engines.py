"""Engine processes for the emulator's data plane: redis-server and memcached on loopback.

Nothing here knows about ElastiCache's API; dataplane.py decides which engines a cache needs and
drives them through this module. Every engine:

- listens on its own loopback address (127.a.b.c; all of 127.0.0.0/8 is loopback on Linux) on
  the cache's configured port, so endpoints keep the port the user configured, as AWS keeps
  6379 on every endpoint of a cache while each endpoint has its own host name;
- is started from one long-lived spawner thread with PR_SET_PDEATHSIG=SIGKILL: the kernel
  sends that signal when the *thread* that forked the child ends, so the spawner must outlive
  every engine — it lives as long as the emulator process, and no engine outlives a killed
  emulator;
- takes administrative commands over a unix socket only (no TCP listener without TLS when the
  cache is TLS-only), as a hidden admin user; clients never see that socket.
"""

from __future__ import annotations

import ctypes
import hashlib
import ipaddress
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

# ElastiCache's restricted commands for Redis OSS / Valkey ("Restricted commands",
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ClientConfig.RestrictedCommands.html).
# Renaming them makes a client get "ERR unknown command", which is what ElastiCache answers;
# the emulator itself uses the secret names.
RESTRICTED = ("BGREWRITEAOF", "BGSAVE", "CONFIG", "DEBUG", "MIGRATE", "REPLICAOF", "SAVE", "SLAVEOF", "SHUTDOWN", "SYNC")
ADMIN_USER = "emulator-admin"


class EngineError(Exception):
    pass


class EngineExited(EngineError):
    """The engine process is gone: waiting longer cannot help."""


def short_dir(directory: Path, name: str) -> Path:
    """A short working directory per engine: a unix socket path must stay under 108 bytes."""
    return directory / hashlib.sha1(name.encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------- processes


def _pdeathsig() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Spawner:
    """Starts every engine from one thread that lives as long as the emulator (see module doc)."""

    def __init__(self) -> None:
        self.jobs: queue.Queue = queue.Queue()
        threading.Thread(target=self._run, name="engine-spawner", daemon=True).start()

    def _run(self) -> None:
        while True:
            argv, kwargs, box, done = self.jobs.get()
            try:
                box.append(subprocess.Popen(argv, preexec_fn=_pdeathsig, stdin=subprocess.DEVNULL, **kwargs))
            except OSError as exc:
                box.append(exc)
            done.set()

    def popen(self, argv: list[str], **kwargs: Any) -> subprocess.Popen:
        box: list = []
        done = threading.Event()
        self.jobs.put((argv, kwargs, box, done))
        done.wait()
        if isinstance(box[0], Exception):
            raise EngineError(f"cannot start {argv[0]}: {box[0]}")
        return box[0]


def wait_until(check, timeout: float, what: str) -> Any:
    """Polls check() with backoff (5 ms doubling to 200 ms) until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    last: Exception | None = None
    while True:
        try:
            result = check()
            if result:
                return result
        except EngineExited:
            raise
        except (OSError, EngineError) as exc:
            last = exc
        if time.monotonic() >= deadline:
            raise EngineError(f"{what} not ready after {timeout:g} s" + (f": {last}" if last else ""))
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


# ---------------------------------------------------------------------------- addresses


class Addresses:
    """Hands out free loopback addresses for a port (and its cluster bus port, +10000)."""

    def __init__(self, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def take(self, ports: tuple[int, ...]) -> str:
        for _ in range(200):
            addr = f"127.{self.rng.randint(1, 254)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
            if addr in self.used:
                continue
            if all(_free(addr, p) for p in ports):
                self.used.add(addr)
                return addr
        raise EngineError(f"no free loopback address for ports {ports}")

    def release(self, addr: str) -> None:
        self.used.discard(addr)


def _free_port(addr: str) -> int:
    with socket.socket() as s:
        s.bind((addr, 0))
        return s.getsockname()[1]


def _free(addr: str, port: int) -> bool:
    if port <= 0 or port > 65535:
        return port == 0
    with socket.socket() as s:
        try:
            s.bind((addr, port))
        except OSError:
            return False
    return True


# ---------------------------------------------------------------------------- TLS material


class Authority:
    """A certificate authority made for this emulator run, and server certificates per cache
    (IP subject alternative names for every address of the cache, so a client that verifies
    the server's identity by the address it dialled succeeds after a failover too)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.ca_file = directory / "ca.pem"
        self._ca_key, self._ca_cert = self._make_ca()

    def _make_ca(self) -> tuple[Any, Any]:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
        import datetime

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "elasticache emulator CA (this run only)")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=7))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                             encipher_only=False, decipher_only=False), critical=True)
                .sign(key, hashes.SHA256()))
        self.ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key, cert

    def contexts(self, cert: tuple[Path, Path]) -> tuple[Any, Any]:
        """(server, client) SSLContexts for a relay that terminates TLS and speaks TLS onward."""
        import ssl

        server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.load_cert_chain(str(cert[0]), str(cert[1]))
        client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        client.load_verify_locations(str(self.ca_file))
        return server, client

    def server(self, label: str, addresses: list[str]) -> tuple[Path, Path]:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
        import datetime

        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        sans: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
        sans += [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, label[-64:])]))  # CN: at most 64
                .issuer_name(self._ca_cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=7))
                .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                .sign(self._ca_key, hashes.SHA256()))
        cert_file, key_file = self.dir / f"{label}.crt", self.dir / f"{label}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        os.chmod(key_file, 0o600)
        return cert_file, key_file


# ---------------------------------------------------------------------------- RESP admin client


class RespError(EngineError):
    pass


class Admin:
    """A minimal RESP2 client over the engine's unix socket (one connection, reused)."""

    def __init__(self, path: Path, password: str) -> None:
        self.path, self.password = path, password
        self.sock: socket.socket | None = None
        self.buf = b""
        self.raw = False  # bulk strings as bytes (DUMP payloads), not text

    def _connect(self) -> None:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(str(self.path))
        self.sock, self.buf = s, b""
        self._send([["AUTH", ADMIN_USER, self.password]])
        self._read()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def call(self, *args: Any) -> Any:
        return self.pipeline([list(args)])[0]

    def call_raw(self, *args: Any) -> Any:
        """call, with bulk strings answered as bytes (binary DUMP payloads and key names)."""
        self.raw = True
        try:
            return self.call(*args)
        finally:
            self.raw = False

    def pipeline(self, commands: list[list[Any]], check: bool = True) -> list[Any]:
        if self.sock is None:
            self._connect()
        try:
            self._send(commands)
            replies = [self._read() for _ in commands]
        except OSError:
            self.close()
            raise
        if check:
            for cmd, r in zip(commands, replies):
                if isinstance(r, RespError):
                    raise RespError(f"{' '.join(str(c) for c in cmd[:3])}: {r}")
        return replies

    def _send(self, commands: list[list[Any]]) -> None:
        out = bytearray()
        for cmd in commands:
            out += b"*%d\r\n" % len(cmd)
            for arg in cmd:
                data = arg if isinstance(arg, bytes) else str(arg).encode()
                out += b"$%d\r\n%s\r\n" % (len(data), data)
        assert self.sock is not None
        self.sock.sendall(out)

    def _line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise OSError("engine closed the admin connection")
        self.buf += chunk

    def _read(self) -> Any:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data if self.raw else data.decode("utf-8", "replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise OSError(f"bad RESP reply {line[:40]!r}")


def info(admin: Admin, section: str) -> dict[str, str]:
    text = admin.call("INFO", section) or ""
    out = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k] = v
    return out


# ---------------------------------------------------------------------------- redis-server


class _EngineProcess:
    """What the engines share: a process started in its own directory with its log, an exit that
    raises with the log's tail, and a stop that kills it and removes the directory."""

    name: str
    dir: Path

    def _spawn(self, spawner: Spawner, argv: list[str], log_name: str) -> None:
        self.log_path = self.dir / log_name
        self.log = open(self.log_path, "ab")
        self.proc = spawner.popen(argv, cwd=self.dir, stdout=self.log, stderr=subprocess.STDOUT)

    def _alive(self) -> bool:
        if self.proc.poll() is not None:
            tail = self.log_path.read_text(errors="replace")[-800:]
            raise EngineExited(f"{self.proc.args[0]} {self.name} exited ({self.proc.returncode}): {tail}")
        return True

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis(_EngineProcess):
    """One redis-server: a member of a replication group, a cluster node or a serverless node."""

    def __init__(self, spawner: Spawner, directory: Path, name: str, addr: str, port: int, *, tls: str | None,
                 cert: tuple[Path, Path] | None, ca_file: Path, maxmemory: int, cluster: bool, users: list[str],
                 secret: str) -> None:
        self.name, self.addr, self.port, self.tls, self.cluster = name, addr, port, tls, cluster
        self.dir = short_dir(directory, name)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.secret = secret  # the admin password, shared by the engines of one emulator (replication, MIGRATE)
        self.socket = self.dir / "admin.sock"
        self.role = "primary"
        self.node_id = ""
        if tls == "preferred":
            self.plain_port, self.tls_port = _free_port(addr), _free_port(addr)
        import rules

        self.renamed = rules.active("dp-restricted-commands")
        conf = self._config(cert, ca_file, maxmemory, users)
        (self.dir / "redis.conf").write_text(conf)
        self._spawn(spawner, ["redis-server", str(self.dir / "redis.conf")], "redis.log")
        self.admin = Admin(self.socket, self.secret)
        wait_until(lambda: self._alive() and self.admin.call("PING") == "PONG", 10, f"redis-server {name}")
        if cluster:
            self.node_id = self.admin.call("CLUSTER", "MYID")

    def _config(self, cert: tuple[Path, Path] | None, ca_file: Path, maxmemory: int, users: list[str]) -> str:
        lines = [f"bind {self.addr}", "protected-mode no", "daemonize no", f"dir {self.dir}", 'save ""', "appendonly no",
                 f"unixsocket {self.socket}", "unixsocketperm 700", "repl-diskless-sync-delay 0", "repl-ping-replica-period 1", f"maxmemory {maxmemory}", "loglevel warning",
                 f"user {ADMIN_USER} on >{self.secret} ~* &* +@all", f"masteruser {ADMIN_USER}", f"masterauth {self.secret}"]
        lines += users or ["user default on nopass ~* &* +@all"]
        if self.tls:
            assert cert is not None
            lines += [f"tls-cert-file {cert[0]}", f"tls-key-file {cert[1]}", f"tls-ca-cert-file {ca_file}",
                      "tls-auth-clients no", "tls-replication yes"]
        if self.tls == "required":
            lines += ["port 0", f"tls-port {self.port}"]
            if self.cluster:
                lines.append("tls-cluster yes")
        elif self.tls == "preferred":
            # One port cannot serve both; a sniffing relay (dataplane.Relay) owns the public port.
            lines += [f"port {self.plain_port}", f"tls-port {self.tls_port}"]
        else:
            lines.append(f"port {self.port}")
        if self.cluster:
            lines += ["cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-node-timeout 3000",
                      f"cluster-announce-ip {self.addr}", "cluster-require-full-coverage no",
                      # A primary emptied by resharding stays a primary until the emulator retires it.
                      "cluster-allow-replica-migration no"]
            if self.tls == "preferred":
                lines += [f"cluster-announce-port {self.port}", f"cluster-announce-tls-port {self.port}",
                          f"cluster-port {self.port + 10000}"]
        if self.renamed:
            for cmd in RESTRICTED:
                lines.append(f"rename-command {cmd} {cmd}-{self.secret}")
        return "\n".join(lines) + "\n"

    plain_port = 0
    tls_port = 0

    def hidden(self, name: str) -> str:
        """The secret name of a restricted command (its own name with the rule switched off)."""
        return f"{name.upper()}-{self.secret}" if self.renamed else name.upper()

    def config_set(self, name: str, value: str) -> None:
        self.admin.call(self.hidden("CONFIG"), "SET", name, value)

    def replicate(self, primary: "Redis | None") -> None:
        if primary is None:
            self.admin.call(self.hidden("REPLICAOF"), "NO", "ONE")
            self.role = "primary"
        else:
            self.admin.call(self.hidden("REPLICAOF"), primary.addr, primary.internal_port)
            self.role = "replica"

    @property
    def internal_port(self) -> int:
        """The port other engines reach this one on (replication, cluster bus announcements)."""
        return self.tls_port if self.tls == "preferred" else self.port

    def stop(self) -> None:
        self.admin.close()
        super().stop()


# ---------------------------------------------------------------------------- memcached


class Memcached(_EngineProcess):
    def __init__(self, spawner: Spawner, directory: Path, name: str, addr: str, port: int, *, tls: bool,
                 cert: tuple[Path, Path] | None, memory_mb: int) -> None:
        self.name, self.addr, self.port, self.tls = name, addr, port, tls
        self.dir = short_dir(directory, name)
        self.dir.mkdir(parents=True, exist_ok=True)
        argv = ["memcached", "-l", addr, "-p", str(port), "-U", "0", "-m", str(memory_mb), "-c", "1024", "-t", "1"]
        if tls:
            assert cert is not None
            argv += ["-Z", "-o", f"ssl_chain_cert={cert[0]},ssl_key={cert[1]}"]
        if os.geteuid() == 0:
            argv += ["-u", "root"]
        self._spawn(spawner, argv, "memcached.log")
        wait_until(self._listening, 10, f"memcached {name}")

    def _listening(self) -> bool:
        self._alive()
        with socket.create_connection((self.addr, self.port), timeout=1):
            return True


def binaries() -> dict[str, str | None]:
    """Engine binaries and their versions (None when missing)."""
    out: dict[str, str | None] = {}
    for name, flag in (("redis-server", "--version"), ("memcached", "-V")):
        path = shutil.which(name)
        if path is None:
            out[name] = None
            continue
        try:
            text = subprocess.run([path, flag], capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            out[name] = None
            continue
        out[name] = text
    return out


# ---------------------------------------------------------------------------- relays


class Relay:
    """A TCP listener that passes bytes through to an engine chosen per connection.

    Endpoints that follow a role — the primary and reader endpoints, which AWS moves between
    nodes by DNS after a failover, the Memcached configuration endpoint — are relays: `target`
    is asked on every new connection. `first` (optional) sees the client's first bytes before
    the target is chosen, so one port can serve TLS and plaintext (transit encryption
    `preferred`) or answer a command itself (`config get cluster`): it returns bytes to answer
    (then reads the next request) or None to pass everything from there on through. TLS passes
    through untouched (the engine terminates it) unless `tls` (a server SSLContext) is given:
    then the relay terminates TLS and speaks TLS to the engine with `upstream_tls`.
    """

    def __init__(self, addr: str, port: int, target, first=None, tls=None, upstream_tls=None) -> None:
        self.addr, self.port, self.target, self.first = addr, port, target, first
        self.tls, self.upstream_tls = tls, upstream_tls
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.sock.listen(64)
        self.closed = False
        threading.Thread(target=self._accept, name=f"relay-{addr}:{port}", daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            client.settimeout(30)
            if self.tls is not None:
                client = self.tls.wrap_socket(client, server_side=True)
            head = b""
            while self.first is not None:
                head = client.recv(65536)
                if not head:
                    return
                answer = self.first(head)
                if answer is None:
                    break
                client.sendall(answer)
            host, port = self.target(head)
            upstream = socket.create_connection((host, port), timeout=10)
            if self.upstream_tls is not None:
                upstream = self.upstream_tls.wrap_socket(upstream, server_hostname=host)
            if head:
                upstream.sendall(head)
            client.settimeout(None)
            upstream.settimeout(None)
            _pump(client, upstream)
        except EngineError as exc:  # e.g. the engine cap: say why, in the engine's protocol
            try:
                client.sendall(f"-ERR emulator data plane: {exc}\r\n".encode())
            except OSError:
                pass
        except OSError:
            pass
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    def close(self) -> None:
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def _pump(a: socket.socket, b: socket.socket) -> None:
    """Copies both ways in one thread (an SSL socket must not be read and written from two
    threads at once) until either side closes."""
    import select

    peer = {a: b, b: a}
    while True:
        ready = [s for s in (a, b) if getattr(s, "pending", lambda: 0)()]
        if not ready:
            ready, _, _ = select.select([a, b], [], [])
        for s in ready:
            data = s.recv(65536)
            if not data:
                return
            peer[s].sendall(data)
