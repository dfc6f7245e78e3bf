"""AWS Price List (Pricing) GetProducts over awsJson1_1, from the emulator's own fixture prices.

X-Amz-Target: AWSPriceListService.GetProducts. PriceList items are JSON *strings* in AWS's
price-list shape: {"product": {"productFamily", "attributes", "sku"}, "serviceCode",
"terms": {"OnDemand": {...}, "Reserved": {...}}}. Prices come from fixtures/prices.json and
are deliberately not AWS's published ones (see the comment there).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from protocols import AWSError, Response, json_error

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SERVICE_CODE = "AmazonElastiCache"
ONDEMAND_CODE = "JRTCKXETXF"
RATE_CODE = "6YS6EN2CT7"
UPFRONT_RATE_CODE = "2TG2D8R56U"


def _prices() -> dict:
    with open(FIXTURES / "prices.json", encoding="utf-8") as f:
        return json.load(f)


PRICES = _prices()


def _code(*parts: str, length: int = 16) -> str:
    digest = hashlib.sha1("/".join(parts).encode()).hexdigest().upper()
    return "".join(c if c.isalpha() else "ABCDEFGHJK"[int(c)] for c in digest)[:length]


def _money(v: float) -> str:
    return f"{v:.10f}"


def _dimension(sku: str, term: str, rate: str, unit: str, price: float, description: str) -> dict:
    return {
        f"{sku}.{term}.{rate}": {
            "unit": unit, "endRange": "Inf", "description": description, "appliesTo": [],
            "rateCode": f"{sku}.{term}.{rate}", "beginRange": "0", "pricePerUnit": {"USD": _money(price)},
        }
    }


def _ondemand(sku: str, unit: str, price: float, description: str) -> dict:
    return {
        f"{sku}.{ONDEMAND_CODE}": {
            "priceDimensions": _dimension(sku, ONDEMAND_CODE, RATE_CODE, unit, price, description),
            "sku": sku, "effectiveDate": PRICES["effective_date"], "offerTermCode": ONDEMAND_CODE, "termAttributes": {},
        }
    }


def _reserved(sku: str, hourly: float, node_type: str) -> dict:
    terms = {}
    for years, options in PRICES["reserved"].items():
        if years.startswith("_"):
            continue
        hours = int(years) * 8760
        for option, factor in options.items():
            code = _code("reserved", years, option, length=10)
            total = hourly * factor * hours
            fixed, recurring = {"No Upfront": (0.0, hourly * factor), "Partial Upfront": (total / 2, hourly * factor / 2),
                                "All Upfront": (total, 0.0)}[option]
            dims = _dimension(sku, code, RATE_CODE, "Hrs", recurring, f"{node_type} reserved instance applied, {option}")
            if fixed > 0:
                dims.update(_dimension(sku, code, UPFRONT_RATE_CODE, "Quantity", round(fixed, 2), "Upfront Fee"))
            terms[f"{sku}.{code}"] = {
                "priceDimensions": dims, "sku": sku, "effectiveDate": PRICES["effective_date"], "offerTermCode": code,
                "termAttributes": {"LeaseContractLength": f"{years}yr", "OfferingClass": "standard", "PurchaseOption": option},
            }
    return terms


@lru_cache(maxsize=1)
def catalog() -> list[dict]:
    products = []
    for region, rinfo in PRICES["regions"].items():
        if region.startswith("_"):
            continue
        base_attrs = {"servicecode": SERVICE_CODE, "servicename": "Amazon ElastiCache", "location": rinfo["location"],
                      "locationType": "AWS Region", "regionCode": region}
        for node_type, ninfo in PRICES["node_types"].items():
            for engine, einfo in PRICES["engines"].items():
                hourly = ninfo["price"] * einfo["multiplier"] * rinfo["multiplier"]
                sku = _code(region, node_type, engine)
                attrs = dict(base_attrs, instanceType=node_type, currentGeneration="Yes", instanceFamily=ninfo["family"],
                             vcpu=ninfo["vcpu"], memory=ninfo["memory"], networkPerformance=ninfo["network"],
                             cacheEngine=engine, usagetype=f"{rinfo['usage_prefix']}NodeUsage:{node_type}",
                             operation=einfo["operation"])
                products.append({
                    "product": {"productFamily": "Cache Instance", "attributes": attrs, "sku": sku},
                    "serviceCode": SERVICE_CODE,
                    "terms": {"OnDemand": _ondemand(sku, "Hrs", hourly, f"${hourly:.4f} per {engine} {node_type} node-hour"),
                              "Reserved": _reserved(sku, hourly, node_type)},
                    "version": "20250101000000", "publicationDate": PRICES["effective_date"],
                })
        for engine, sinfo in PRICES["serverless"].items():
            if engine.startswith("_"):
                continue
            for kind, unit, price in (("CachedData", "GB-Hours", sinfo["storage_gb_hour"]), ("ECPU", "ECPU", sinfo["ecpu"])):
                sku = _code(region, "serverless", engine, kind)
                value = price * rinfo["multiplier"]
                attrs = dict(base_attrs, cacheEngine=engine,
                             usagetype=f"{rinfo['usage_prefix']}ElastiCacheServerless:{engine}-{kind}",
                             operation=f"CreateServerlessCache:{engine}", storageMedia="Serverless")
                products.append({
                    "product": {"productFamily": "ElastiCache Serverless", "attributes": attrs, "sku": sku},
                    "serviceCode": SERVICE_CODE,
                    "terms": {"OnDemand": _ondemand(sku, unit, value, f"${value:.10f} per {unit} for {engine} serverless {kind}")},
                    "version": "20250101000000", "publicationDate": PRICES["effective_date"],
                })
    return products


def _field(product: dict, name: str) -> str | None:
    low = name.lower()
    if low == "productfamily":
        return product["product"]["productFamily"]
    if low == "sku":
        return product["product"]["sku"]
    if low == "servicecode":
        return product["serviceCode"]
    for key, value in product["product"]["attributes"].items():
        if key.lower() == low:
            return value
    return None


def _matches(product: dict, flt: dict) -> bool:
    kind = (flt.get("Type") or "TERM_MATCH").upper()
    value = _field(product, flt.get("Field", ""))
    want = str(flt.get("Value", ""))
    if kind in ("TERM_MATCH", "EQUALS"):
        return value is not None and value.lower() == want.lower()
    if kind == "CONTAINS":
        return value is not None and want.lower() in value.lower()
    if kind == "ANY_OF":
        return value is not None and value.lower() in [w.strip().lower() for w in want.split(",")]
    if kind == "NONE_OF":
        return value is None or value.lower() not in [w.strip().lower() for w in want.split(",")]
    raise AWSError("InvalidParameterException", f"Invalid filter type: {kind}")


class Pricing:
    def handle(self, region: str, operation: str, document: Any) -> Response:
        handler = getattr(self, "op_" + operation, None)
        try:
            if handler is None:
                raise AWSError("UnknownOperationException", f"The emulator does not implement Pricing {operation}.")
            if not isinstance(document, dict):
                raise AWSError("SerializationException", "The request body is not a JSON object.")
            result = handler(document)
        except AWSError as err:
            return json_error(err)
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(result).encode("utf-8")

    @staticmethod
    def _check_service(code: Any) -> None:
        if code is None:
            return
        if code != SERVICE_CODE:
            raise AWSError("NotFoundException", f"The emulator only prices {SERVICE_CODE}, not {code!r}.")

    def op_GetProducts(self, d: dict) -> dict:
        if not d.get("ServiceCode"):
            raise AWSError("InvalidParameterException", "ServiceCode is required.")
        self._check_service(d["ServiceCode"])
        if d.get("FormatVersion") not in (None, "aws_v1"):
            raise AWSError("InvalidParameterException", f"Invalid FormatVersion: {d['FormatVersion']}")
        products = catalog()
        for flt in d.get("Filters") or []:
            if not flt.get("Field"):
                raise AWSError("InvalidParameterException", "Each filter needs a Field.")
            products = [p for p in products if _matches(p, flt)]
        size = d.get("MaxResults") or 100
        if not 1 <= size <= 100:
            raise AWSError("InvalidParameterException", "MaxResults must be between 1 and 100.")
        start = 0
        if d.get("NextToken"):
            token = str(d["NextToken"])
            if not token.startswith("pr-") or not token[3:].isdigit():
                raise AWSError("InvalidNextTokenException", "The NextToken is invalid.")
            start = int(token[3:])
        page = products[start : start + size]
        out: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": [json.dumps(p) for p in page]}
        if start + size < len(products):
            out["NextToken"] = f"pr-{start + size}"
        return out

    def op_DescribeServices(self, d: dict) -> dict:
        self._check_service(d.get("ServiceCode"))
        names = sorted({k for p in catalog() for k in p["product"]["attributes"]})
        return {"Services": [{"ServiceCode": SERVICE_CODE, "AttributeNames": names}], "FormatVersion": "aws_v1"}

    def op_GetAttributeValues(self, d: dict) -> dict:
        self._check_service(d.get("ServiceCode") or "")
        name = d.get("AttributeName")
        if not name:
            raise AWSError("InvalidParameterException", "AttributeName is required.")
        values = sorted({v for p in catalog() if (v := _field(p, name)) is not None})
        return {"AttributeValues": [{"Value": v} for v in values]}
