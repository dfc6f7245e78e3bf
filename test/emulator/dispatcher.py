"""The WSGI application in front of moto.

For every request it works out the service (SigV4 credential scope) and the operation (form
Action, X-Amz-Target, or the Smithy RPC v2 CBOR path), then, under one global lock:
  1. answers the emulator's control endpoints (/_emulator/...);
  2. rejects the access key AKIAREJECTED00000000 with 403 InvalidClientTokenId;
  3. applies injected faults;
  3b. validates the input against the botocore model (validation.py) and runs the named rules'
      checks (rules.py);
  4. routes our extended operations (ElastiCache, CloudWatch over CBOR, Pricing, Application
     Auto Scaling for the elasticache namespace, the EC2 DeleteSecurityGroup hook) to our
     handlers and everything else to moto;
  5. appends an entry to the request log.
"""

from __future__ import annotations

import io
import json
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

from werkzeug.datastructures import MultiDict

import cbor
import ext_ec2
import rules
import validation
from ext_appautoscaling import AppAutoScaling
from ext_cloudwatch import CloudWatch
from ext_elasticache import ElastiCache
from ext_pricing import Pricing
from protocols import AWSError, Response, error_for, parse_input
from runtime import Config

REJECTED_ACCESS_KEY = "AKIAREJECTED00000000"

# SigV4 signing names that differ from the names we log and match faults on.
SERVICE_ALIASES = {"monitoring": "cloudwatch", "api.pricing": "pricing"}

# STS operations clients send unsigned (no credential scope names the service): botocore's sts
# service-2.json marks them "authtype": "none" / smithy.api#noAuth.
UNSIGNED_STS_OPERATIONS = frozenset({"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"})

# Keys whose value names the resource a call is about (first one present wins).
RESOURCE_KEYS = (
    "ReplicationGroupId", "CacheClusterId", "ServerlessCacheName", "CacheParameterGroupName",
    "CacheSubnetGroupName", "UserGroupId", "UserId", "ResourceName", "ResourceARN", "AlarmName",
    "AlarmNames.member.1", "AlarmNames", "GroupId", "GroupName", "SecretId", "Name", "TopicArn",
    "VpcId", "SubnetId", "ServiceCode", "ResourceId",
)

STATUS_TEXT = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout",
               409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error",
               502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    service: str = ""
    region: str = "us-east-1"
    access_key: str = ""
    operation: str = ""
    protocol: str = "rest"
    form: MultiDict | None = None
    document: Any = None  # decoded JSON / CBOR body
    resource: str | None = None
    params: dict | None = None  # the input parsed against the operation's model (None: no model)


@dataclass
class FaultRule:
    service: str
    operation: str = "*"
    nth: int | None = None
    count: int = 1
    probability: float | None = None
    http_status: int = 500
    error_code: str = "InternalFailure"
    message: str = "Injected fault"
    seen: int = 0
    fired: int = 0

    def matches(self, call: Call) -> bool:
        svc = self.service.lower()
        svc = SERVICE_ALIASES.get(svc, svc)
        return (svc in ("*", call.service)) and (self.operation in ("*", call.operation))

    def should_fire(self, rng: random.Random) -> bool:
        """Called once per matching call; decides whether this one fails."""
        self.seen += 1
        if self.fired >= self.count:
            return False
        if self.nth is not None and self.seen < self.nth:
            return False
        if self.probability is not None and rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    @property
    def spent(self) -> bool:
        return self.fired >= self.count


@dataclass
class RequestLog:
    entries: list[dict] = field(default_factory=list)
    seq: int = 0

    def add(self, call: Call, status: int, error_code: str | None, fault: bool) -> None:
        self.seq += 1
        entry = {
            "seq": self.seq,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "service": call.service,
            "operation": call.operation,
            "status": status,
            "mutating": is_mutating(call.operation),
            "region": call.region,
        }
        if call.resource:
            entry["resource"] = call.resource
        if error_code:
            entry["error_code"] = error_code
        if fault:
            entry["fault"] = True
        self.entries.append(entry)


def is_mutating(operation: str) -> bool:
    return not operation.startswith(("Describe", "List", "Get"))


def _parse_auth(header: str) -> tuple[str, str, str] | None:
    """Returns (access_key, region, service) from a SigV4 Authorization header."""
    m = re.search(r"Credential=([^/\s,]+)/\d{8}/([^/]+)/([^/]+)/aws4_request", header or "")
    return (m.group(1), m.group(2), m.group(3)) if m else None


def _error_code_of(status: int, headers: dict[str, str], body: bytes) -> str | None:
    if status < 400:
        return None
    for key, value in headers.items():
        if key.lower() in ("x-amzn-query-error", "x-amzn-errortype"):
            return value.split(";")[0].split(":")[0]
    m = re.search(rb"<Code>([^<]+)</Code>", body[:4096])
    if m:
        return m.group(1).decode("utf-8", "replace")
    return None


class Emulator:
    def __init__(self, config: Config, seed: int | None = None):
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self.lock = threading.RLock()
        self.config = config
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.log = RequestLog()
        self.faults: list[FaultRule] = []
        self.rng = random.Random(seed)
        self.regions: set[str] = {"us-east-1"}
        self.elasticache = ElastiCache(config)
        self.elasticache.rng = random.Random(self.rng.random())  # failovers, replica picks: seeded too
        rules.load_all()
        self.cloudwatch = CloudWatch()
        self.ec2_consistency = ext_ec2.EventualConsistency(config)
        self.pricing = Pricing()
        self.autoscaling = AppAutoScaling()

    # ------------------------------------------------------------------ WSGI entry point

    def __call__(self, environ: dict, start_response: Any) -> list[bytes]:
        with self.lock:
            status, headers, body = self.dispatch(environ)
        reason = STATUS_TEXT.get(status, "Unknown")
        headers = {k: v for k, v in headers.items() if k.lower() not in ("content-length", "transfer-encoding", "status")}
        headers["Content-Length"] = str(len(body))
        start_response(f"{status} {reason}", list(headers.items()))
        return [body]

    def dispatch(self, environ: dict) -> Response:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]

        if path.startswith("/_emulator/"):
            return self.control(method, path, body)

        call = Call(method=method, path=path, headers=headers, body=body)
        self.identify(call)
        self.regions.add(call.region)
        fault = False
        try:
            status, rheaders, rbody = self.route(call, environ)
        except _Fault as f:
            status, rheaders, rbody = f.response
            fault = True
        except AWSError as err:
            status, rheaders, rbody = error_for(call.protocol, call.service, err)
        except NotImplementedError as exc:  # moto's answer for an operation it lacks
            status, rheaders, rbody = error_for(call.protocol, call.service, AWSError(
                "InvalidAction", f"The emulator does not implement {call.service} {call.operation} ({exc}).", status=400))
        except Exception as exc:  # a bug in an extension must not look like a hang
            import traceback

            traceback.print_exc()
            status, rheaders, rbody = error_for(call.protocol, call.service,
                                                AWSError("InternalFailure", f"emulator error: {exc}", status=500, sender=False))
        self.log.add(call, status, _error_code_of(status, rheaders, rbody), fault)
        return status, rheaders, rbody

    # ------------------------------------------------------------------ identification

    def identify(self, call: Call) -> None:
        auth = _parse_auth(call.headers.get("authorization", ""))
        if auth:
            call.access_key, call.region, service = auth
            call.service = SERVICE_ALIASES.get(service.lower(), service.lower())
        ctype = call.headers.get("content-type", "")
        m = re.match(r"^/service/([^/]+)/operation/([^/]+)$", call.path)
        if m and (ctype.startswith("application/cbor") or call.headers.get("smithy-protocol") == "rpc-v2-cbor" or not call.body):
            call.protocol = "cbor"
            call.operation = m.group(2)
            if not call.service and m.group(1) == "GraniteServiceVersion20100801":
                call.service = "cloudwatch"
            if call.body:
                try:
                    call.document = cbor.decode(call.body)
                except cbor.CBORDecodeError:
                    call.document = None
        elif call.headers.get("x-amz-target"):
            call.protocol = "json"
            call.operation = call.headers["x-amz-target"].rsplit(".", 1)[-1]
            try:
                call.document = json.loads(call.body or b"{}")
            except ValueError:
                call.document = None
        elif ctype.startswith("application/x-www-form-urlencoded"):
            pairs = parse_qs(call.body.decode("utf-8", "replace"), keep_blank_values=True)
            call.form = MultiDict([(k, v) for k, vs in pairs.items() for v in vs])
            call.operation = call.form.get("Action", "")
            if not call.service and call.operation in UNSIGNED_STS_OPERATIONS:
                call.service = "sts"
            call.protocol = "ec2" if call.service == "ec2" else "query"
        else:
            call.protocol = "rest-json" if "json" in ctype else "rest"
            call.operation = f"{call.method} {call.path}"
        call.resource = self._resource_of(call)

    @staticmethod
    def _resource_of(call: Call) -> str | None:
        source: Any = call.form if call.form is not None else call.document
        if not isinstance(source, (dict, MultiDict)):
            return None
        for key in RESOURCE_KEYS:
            value = source.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, str) and value:
                return value
        return None

    # ------------------------------------------------------------------ routing

    def route(self, call: Call, environ: dict) -> Response:
        if call.access_key == REJECTED_ACCESS_KEY:
            raise AWSError("InvalidClientTokenId", "The security token included in the request is invalid.", status=403)
        for rule in self.faults:
            if rule.matches(call) and rule.should_fire(self.rng):
                err = AWSError(rule.error_code, rule.message, status=rule.http_status, sender=rule.http_status < 500)
                self.faults = [r for r in self.faults if not r.spent]
                raise _Fault(error_for(call.protocol, call.service, err))
        self.faults = [r for r in self.faults if not r.spent]

        call.params = parse_input(call.service, call.operation, call.protocol, call.form, call.document)
        if call.params is not None:
            validation.validate(call.service, call.operation, call.protocol, call.params)
            rules.enforce(rules.Context(call.service, call.operation, call.region, call.params, self))

        if call.service == "elasticache" and call.form is not None and self.elasticache.handles(call.operation):
            return self.elasticache.handle(call.region, call.operation, call.form, call.params)
        if call.service == "cloudwatch" and (call.protocol == "cbor" or self.cloudwatch.handles(call.operation)):
            return self.cloudwatch.handle(call.region, call.operation, call.protocol, call.document, call.form)
        if call.service == "application-autoscaling" and call.protocol == "json" and self.autoscaling.handles(call.operation, call.params):
            return self.autoscaling.handle(call.region, call.operation, call.params, self.elasticache)
        if call.service == "pricing" and call.protocol == "json":
            return self.pricing.handle(call.region, call.operation, call.document)
        if call.service == "ec2" and call.operation == "DeleteSecurityGroup" and call.form is not None:
            blocked = ext_ec2.check_delete_security_group(call.region, call.form, self.elasticache.security_group_users)
            if blocked is not None:
                return blocked
        if call.service == "ec2":
            self.ec2_consistency.check(call.operation, call.params)
            status, headers, body = self.to_moto(environ)
            self.ec2_consistency.created(call.operation, status, body)
            return status, headers, body
        return self.to_moto(environ)

    def to_moto(self, environ: dict) -> Response:
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = dict(headers)
            return lambda data: None

        result = self.moto(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured.get("status", 500), captured.get("headers", {}), body

    # ------------------------------------------------------------------ control endpoints

    def control(self, method: str, path: str, body: bytes) -> Response:
        def reply(obj: Any, status: int = 200) -> Response:
            return status, {"Content-Type": "application/json"}, json.dumps(obj, indent=1).encode("utf-8")

        try:
            data = json.loads(body) if body else None
        except ValueError:
            return reply({"error": "body is not JSON"}, 400)
        route = (method, path.rstrip("/"))
        if route == ("GET", "/_emulator/health"):
            import importlib.metadata

            return reply({"status": "ok", "moto": importlib.metadata.version("moto")})
        if route == ("GET", "/_emulator/requests"):
            return reply(self.log.entries)
        if route == ("DELETE", "/_emulator/requests"):
            self.log.entries.clear()
            return reply({"cleared": True})
        if route == ("GET", "/_emulator/config"):
            return reply(self.config.as_dict())
        if route == ("POST", "/_emulator/config"):
            try:
                self.config.update(data or {})
            except (TypeError, ValueError) as e:
                return reply({"error": str(e)}, 400)
            return reply(self.config.as_dict())
        if route == ("GET", "/_emulator/faults"):
            return reply([vars(r) for r in self.faults])
        if route == ("POST", "/_emulator/faults"):
            specs = data if isinstance(data, list) else [data]
            try:
                new = [self._fault_rule(r) for r in specs]
            except (TypeError, ValueError, KeyError) as e:
                return reply({"error": f"bad fault rule: {e}"}, 400)
            self.faults.extend(new)
            return reply([vars(r) for r in self.faults])
        if route == ("DELETE", "/_emulator/faults"):
            self.faults.clear()
            return reply({"cleared": True})
        if route == ("GET", "/_emulator/resources"):
            return reply(self.resources())
        if route == ("POST", "/_emulator/failover"):
            d = data or {}
            try:
                return reply(self.elasticache.failover(d.get("region") or "us-east-1", d.get("replication_group"),
                                                       d.get("node_group"), d.get("to")))
            except AWSError as e:
                return reply({"error": e.code, "message": e.message}, 404 if "NotFound" in e.code else 400)
        if route == ("GET", "/_emulator/rules"):
            return reply({"rules": sorted(rules.REGISTRY), "disabled": rules.disabled()})
        if route == ("POST", "/_emulator/rules"):
            try:
                rules.set_disabled(list((data or {}).get("disabled") or []))
            except (TypeError, ValueError, AttributeError) as e:
                return reply({"error": str(e)}, 400)
            return reply({"rules": sorted(rules.REGISTRY), "disabled": rules.disabled()})
        if route == ("GET", "/_emulator/dataplane"):
            return reply(self.elasticache.dataplane.describe())
        return reply({"error": f"unknown control endpoint {method} {path}"}, 404)

    @staticmethod
    def _fault_rule(r: dict) -> FaultRule:
        if not isinstance(r, dict) or not r.get("service"):
            raise ValueError("each rule needs a service")
        rule = FaultRule(
            service=str(r["service"]),
            operation=str(r.get("operation") or "*"),
            nth=int(r["nth"]) if r.get("nth") is not None else None,
            count=int(r.get("count") or 1),
            probability=float(r["probability"]) if r.get("probability") is not None else None,
            http_status=int(r.get("http_status") or 500),
            error_code=str(r.get("error_code") or "InternalFailure"),
            message=str(r.get("message") or "Injected fault"),
        )
        if rule.nth is not None and rule.nth < 1:
            raise ValueError("nth must be >= 1")
        if rule.probability is not None and not 0 <= rule.probability <= 1:
            raise ValueError("probability must be within [0, 1]")
        return rule

    def resources(self) -> dict[str, list[dict]]:
        out = self.elasticache.resources()
        out["alarms"] = self.cloudwatch.resources()
        out["scaling"] = self.autoscaling.resources()
        sgs: list[dict] = []
        for region in sorted(self.regions):
            try:
                sgs += ext_ec2.security_groups(region)
            except Exception:  # a region moto does not know
                pass
        out["security_groups"] = sgs
        return out


class _Fault(Exception):
    def __init__(self, response: Response):
        super().__init__("injected fault")
        self.response = response
