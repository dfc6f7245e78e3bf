#!/usr/bin/env python3
"""The bundled local AWS endpoint: moto 5.2.1 in-process plus our extensions.

    python3 test/emulator/emulator.py --host 127.0.0.1 --port 4566

When it listens it prints exactly one line to stdout, `EMULATOR_READY http://HOST:PORT`.
See README.md beside this file for what it emulates and its control endpoints.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import signal
import sys
import warnings

REQUIRED_MOTO = "5.2.1"
HERE = os.path.dirname(os.path.abspath(__file__))


def check_moto() -> None:
    try:
        version = importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"emulator: moto is not installed; it needs moto=={REQUIRED_MOTO} (pip install 'moto[server]=={REQUIRED_MOTO}')")
    if version != REQUIRED_MOTO:
        sys.exit(f"emulator: it needs moto=={REQUIRED_MOTO}, but moto {version} is installed")


def env_float(name: str) -> float:
    raw = os.environ.get(name, "")
    try:
        return float(raw) if raw else 0.0
    except ValueError:
        sys.exit(f"emulator: {name}={raw!r} is not a number of seconds")


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Local AWS endpoint for the ElastiCache provider's tests (moto + extensions).")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=4566, help="port (default 4566; 0 picks a free one)")
    ap.add_argument("--create-delay", type=float, default=env_float("EMULATOR_CREATE_DELAY"),
                    help="seconds a resource stays 'creating' (env EMULATOR_CREATE_DELAY, default 0)")
    ap.add_argument("--modify-delay", type=float, default=env_float("EMULATOR_MODIFY_DELAY"),
                    help="seconds a resource stays 'modifying' (env EMULATOR_MODIFY_DELAY, default 0)")
    ap.add_argument("--delete-delay", type=float, default=env_float("EMULATOR_DELETE_DELAY"),
                    help="seconds a resource stays 'deleting' before it is gone (env EMULATOR_DELETE_DELAY, default 0)")
    ap.add_argument("--seed", type=int, default=None, help="seed for probabilistic faults")
    nd = ap.add_argument_group("AWS's non-determinism (README: Non-determinism); all off unless set")
    nd.add_argument("--nondeterminism", action="store_true", default=os.environ.get("EMULATOR_NONDETERMINISM", "") not in ("", "0"),
                    help="turn on every switch below with the values of the acceptance suite's second pass (env EMULATOR_NONDETERMINISM=1)")
    nd.add_argument("--not-found-after-create", type=int, metavar="N", help="describe-by-id answers NotFound N times right after a create")
    nd.add_argument("--failover-after-create", action="store_const", const=True, help="a new group with replicas has failed over once available")
    nd.add_argument("--random-replica-removal", action="store_const", const=True, help="DecreaseReplicaCount without ReplicasToRemove removes random replicas")
    nd.add_argument("--member-lag", type=float, metavar="S", help="member clusters stay 'modifying' S seconds after their group is available")
    nd.add_argument("--tag-modifying", type=float, metavar="S", help="a group is 'modifying' for S seconds after a tag change")
    nd.add_argument("--parameter-apply-lag", type=float, metavar="S", help="users of a modified parameter group are 'modifying' for S seconds")
    nd.add_argument("--failover-probability", type=float, metavar="P", help="chance that a describe by id finds a group failed over")
    ap.add_argument("--disable-rule", action="append", default=[], metavar="NAME",
                    help="switch off a named AWS rule (RULES.md) for debugging; repeatable or comma-separated "
                         "(env EMULATOR_DISABLE_RULES). Strict is the default")
    ap.add_argument("--data-plane", choices=("auto", "on", "off"), default=os.environ.get("EMULATOR_DATA_PLANE") or "auto",
                    help="real engines behind the caches (env EMULATOR_DATA_PLANE): auto = on when redis-server and "
                         "memcached are installed, on = fail without them, off = control plane only (default auto)")
    ap.add_argument("--max-engines", type=int, default=int(os.environ.get("EMULATOR_MAX_ENGINES") or 96),
                    help="cap on engine processes (env EMULATOR_MAX_ENGINES, default 96)")
    ap.add_argument("--exit-on-stdin-eof", action="store_true",
                    help="exit when stdin closes (a parent process holds it open, so the emulator dies with it)")
    args = ap.parse_args(argv)
    for name in ("create_delay", "modify_delay", "delete_delay"):
        if getattr(args, name) < 0:
            ap.error(f"--{name.replace('_', '-')} must be >= 0")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    check_moto()
    warnings.filterwarnings("ignore")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    sys.path.insert(0, HERE)

    from dispatcher import Emulator
    from runtime import Config

    import rules

    config = Config(args.create_delay, args.modify_delay, args.delete_delay)
    try:
        config.update(nondeterminism(args))
    except ValueError as e:
        sys.exit(f"emulator: {e}")
    app = Emulator(config, seed=args.seed)
    off = rules.parse_names(os.environ.get("EMULATOR_DISABLE_RULES")) + rules.parse_names(",".join(args.disable_rule))
    try:
        rules.set_disabled(off)
    except ValueError as e:
        sys.exit(f"emulator: --disable-rule / EMULATOR_DISABLE_RULES: {e}")
    if off:
        print(f"emulator: rules switched off: {', '.join(sorted(set(off)))}", file=sys.stderr, flush=True)
    app.elasticache.dataplane = start_data_plane(args)
    warm_up(app)
    server = make_server(args.host, args.port, app)
    host = args.host if ":" not in args.host else f"[{args.host}]"
    print(f"EMULATOR_READY http://{host}:{server.server_port}", flush=True)

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_on_stdin_eof:
        watch_stdin()
    try:
        server.serve_forever()
    finally:
        server.server_close()


def start_data_plane(args: argparse.Namespace) -> object:
    """Engines behind the caches (dataplane.py). Says on stderr whether it is on, and where the
    run's TLS CA is; engines stop with the emulator (atexit, and PR_SET_PDEATHSIG if killed)."""
    import atexit

    from dataplane import DataPlane

    dp = DataPlane(args.data_plane, max_engines=args.max_engines, seed=args.seed)
    atexit.register(dp.close)
    print(dp.banner(), file=sys.stderr, flush=True)
    return dp


def nondeterminism(args: argparse.Namespace) -> dict[str, object]:
    """The non-determinism settings: the second pass's set when asked, then explicit flags."""
    from runtime import NONDETERMINISM_ON

    out: dict[str, object] = dict(NONDETERMINISM_ON) if args.nondeterminism else {}
    for key in NONDETERMINISM_ON:
        if getattr(args, key, None) is not None:
            out[key] = getattr(args, key)
    return out


def make_server(host: str, port: int, app: object) -> object:
    """Werkzeug's threaded server, closing connections gracefully.

    Werkzeug answers every request with `Connection: close`. Its socket close right after the
    response can race the client: the client then sometimes fails to read a response the
    emulator did send (aws-sdk-go-v2 logs "use of closed network connection" and retries a call
    that had succeeded, e.g. a delete that then reports NotFound). So after the response we
    shut down our sending side and wait (briefly) for the client to close its side first.
    The remaining "use of closed network connection" failures were closed on the client side,
    by net/http's request-writing loop: see awsops.InMemoryBodies.
    """
    import socket

    from werkzeug.serving import ThreadedWSGIServer

    class Server(ThreadedWSGIServer):
        request_queue_size = 128

        def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
            try:
                request.shutdown(socket.SHUT_WR)
                request.settimeout(2.0)
                while request.recv(4096):
                    pass
            except OSError:
                pass
            self.close_request(request)

    return Server(host, port, app)


def watch_stdin() -> None:
    """Ends the process once stdin reaches EOF, i.e. when the parent that holds it is gone."""
    import threading

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def warm_up(app: object) -> None:
    """Loads moto's backends and the service models before announcing readiness, so the first
    requests of a test are as fast as the rest."""
    from moto.ec2.models import ec2_backends
    from moto.moto_server.werkzeug_app import create_backend_app

    from protocols import ACCOUNT_ID, service_model

    ec2_backends[ACCOUNT_ID]["us-east-1"].get_default_vpc()
    for service in ("elasticache", "cloudwatch", "pricing", "sts", "application-autoscaling"):
        service_model(service)
    for backend in ("ec2", "sts"):
        if backend not in app.moto.app_instances:  # type: ignore[attr-defined]
            app.moto.app_instances[backend] = create_backend_app(backend)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
