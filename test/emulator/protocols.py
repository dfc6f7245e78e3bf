"""Wire-format helpers shared by the emulator's extensions.

The awsQuery side is model-driven: requests are parsed with moto's QueryParser and responses
serialized with moto's QuerySerializer against botocore's service model, so element names
(<NodeGroupMember>, <ClusterId>, <CacheCluster>, ...) are exactly what the SDKs expect.
Error bodies are rendered here for every protocol the emulator speaks, because faults and
rejected credentials must come back in the format of the service that was called.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from moto.core.parse import EC2QueryParser, QueryParser
from moto.core.serialize import QuerySerializer
from moto.core.utils import get_service_model

import cbor

ACCOUNT_ID = "123456789012"

# (status, headers, body) -- what every handler returns.
Response = tuple[int, dict[str, str], bytes]


class AWSError(Exception):
    """A service error: code as the SDK matches it, message, and HTTP status.

    status None means "take it from the service model's error shape" (e.g. 404 for
    ReplicationGroupNotFoundFault), falling back to 400.
    """

    def __init__(self, code: str, message: str, status: int | None = None, sender: bool = True):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender


def request_id() -> str:
    return str(uuid.uuid4())


# ------------------------------------------------------------------ awsQuery (model-driven)


@lru_cache(maxsize=None)
def service_model(service: str) -> Any:
    return get_service_model(service)


@lru_cache(maxsize=None)
def _error_statuses(service: str) -> dict[str, tuple[int, bool]]:
    """Maps every modeled error code (and shape name) of a service to (status, sender)."""
    out: dict[str, tuple[int, bool]] = {}
    model = service_model(service)
    for shape in model.error_shapes:
        info = shape.metadata.get("error", {})
        status = int(info.get("httpStatusCode", 400))
        sender = bool(info.get("senderFault", not shape.metadata.get("fault", False)))
        out[shape.name] = (status, sender)
        out[info.get("code", shape.name)] = (status, sender)
    return out


def modeled_status(service: str, code: str, default: int = 400) -> int:
    try:
        return _error_statuses(service).get(code, (default, True))[0]
    except Exception:  # unknown service model
        return default


def query_parse(service: str, operation: str, form: Any) -> dict[str, Any]:
    op = service_model(service).operation_model(operation)
    return QueryParser(op).parse({"values": form, "method": "POST", "headers": {}, "body": b"",
                                  "url_path": "/", "url_params": {}})


def parse_input(service: str, operation: str, protocol: str, form: Any, document: Any) -> dict[str, Any] | None:
    """The request's input as a dict of the operation's input shape, or None when the service or
    operation has no model here (moto then answers as it does)."""
    try:
        op = service_model(service).operation_model(operation)
    except Exception:  # no model for this service / operation
        return None
    if protocol in ("query", "ec2") and form is not None:
        parser = EC2QueryParser(op) if protocol == "ec2" else QueryParser(op)
        try:
            return parser.parse({"values": form, "method": "POST", "headers": {}, "body": b"",
                                 "url_path": "/", "url_params": {}})
        except Exception:  # moto's parser gave up: let the handler answer as it would
            return None
    if protocol in ("json", "cbor"):
        return document if isinstance(document, dict) else ({} if document is None else None)
    return None


def query_serialize(service: str, operation: str, result: dict[str, Any]) -> Response:
    op = service_model(service).operation_model(operation)
    out = QuerySerializer(op).serialize(result)
    body = out["body"].replace("<RequestId>request-id</RequestId>", f"<RequestId>{request_id()}</RequestId>")
    return 200, {"Content-Type": "text/xml"}, body.encode("utf-8")


def _xmlns(service: str) -> str:
    try:
        ns = service_model(service).metadata.get("xmlNamespace")
        return f' xmlns="{ns}"' if ns else ""
    except Exception:
        return ""


def query_error(service: str, err: AWSError) -> Response:
    status = err.status or modeled_status(service, err.code)
    kind = "Sender" if err.sender and status < 500 else "Receiver"
    body = (
        f"<ErrorResponse{_xmlns(service)}><Error><Type>{kind}</Type><Code>{escape(err.code)}</Code>"
        f"<Message>{escape(err.message)}</Message></Error><RequestId>{request_id()}</RequestId></ErrorResponse>"
    )
    return status, {"Content-Type": "text/xml"}, body.encode("utf-8")


def ec2_error(err: AWSError) -> Response:
    status = err.status or 400
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
        f"<Code>{escape(err.code)}</Code><Message>{escape(err.message)}</Message>"
        f"</Error></Errors><RequestID>{request_id()}</RequestID></Response>"
    )
    return status, {"Content-Type": "text/xml;charset=UTF-8"}, body.encode("utf-8")


def json_error(err: AWSError, content_type: str = "application/x-amz-json-1.1",
               type_name: str | None = None, query_compatible: bool = False) -> Response:
    """awsJson error: __type (and X-Amzn-ErrorType) name the error; a query-compatible service
    also sends x-amzn-query-error with the awsQuery code and fault."""
    status = err.status or 400
    body = json.dumps({"__type": type_name or err.code, "message": err.message, "Message": err.message})
    headers = {"Content-Type": content_type, "X-Amzn-ErrorType": type_name or err.code, "x-amzn-RequestId": request_id()}
    if query_compatible:
        kind = "Sender" if err.sender and status < 500 else "Receiver"
        headers["x-amzn-query-error"] = f"{err.code};{kind}"
    return status, headers, body.encode("utf-8")


def cbor_error(err: AWSError, namespace: str = "com.amazonaws.cloudwatch", type_name: str | None = None) -> Response:
    """rpcv2Cbor error: __type names the error shape (the SDK looks it up in its type
    registry), x-amzn-query-error carries the awsQuery code and fault."""
    status = err.status or 400
    kind = "Sender" if err.sender and status < 500 else "Receiver"
    body = cbor.encode({"__type": f"{namespace}#{type_name or err.code}", "message": err.message, "Message": err.message})
    headers = {
        "Content-Type": "application/cbor",
        "Smithy-Protocol": "rpc-v2-cbor",
        # CloudWatch is awsQueryCompatible: the SDK takes the error code from this header.
        "x-amzn-query-error": f"{err.code};{kind}",
        "x-amzn-RequestId": request_id(),
    }
    return status, headers, body


def error_for(protocol: str, service: str, err: AWSError) -> Response:
    """Renders err in the error format of the protocol the request arrived in."""
    if protocol == "ec2":
        return ec2_error(err)
    if protocol == "cbor" or (service == "cloudwatch" and protocol == "json"):
        from ext_cloudwatch import error_response

        return error_response(err, protocol)
    if protocol == "json":
        return json_error(err)
    if protocol == "rest-json":
        return json_error(err, "application/json")
    return query_error(service, err)
