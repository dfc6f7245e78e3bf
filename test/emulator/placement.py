"""Placement rules (issue 17 §4): network type and IP discovery, preferred Availability Zones,
and the VPC of the security groups a cache carries. Each check is a named rule in
rules_catalog.py; ext_elasticache.py calls these from its handlers."""

from __future__ import annotations

import ext_ec2
import rules
import rules_catalog as R
from protocols import AWSError

NITRO_LESS = ("t2", "m4", "r4", "m3", "r3", "t1", "m1", "m2", "c1")
IPV6_FLOOR = {"valkey": (7, 2), "redis": (6, 2), "memcached": (1, 6, 6)}


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".") if x.isdigit())


def supported_network_types(region: str, subnet_id: str) -> list[str]:
    """What a subnet supports, as CacheSubnetGroup.Subnets[].SupportedNetworkTypes reports it."""
    ipv4, ipv6 = ext_ec2.subnet_ip_ranges(region, subnet_id)
    if ipv6 and not ipv4:
        return ["ipv6"]
    return ["ipv4", "dual_stack"] if ipv6 else ["ipv4"]


def check_network(region: str, p: dict, engine: str, version: str, node_type: str | None, subnet_ids: list[str]) -> tuple[str, str]:
    """Judges NetworkType / IpDiscovery of a create request; returns them with AWS's defaults."""
    network = p.get("NetworkType") or "ipv4"
    discovery = p.get("IpDiscovery") or ("ipv6" if network == "ipv6" else "ipv4")
    if network != "ipv4" and rules.active(R.NETWORK_TYPE_NEEDS_ENGINE_AND_NITRO):
        floor = IPV6_FLOOR.get(engine)
        if floor and _version(version) < floor:
            raise AWSError("InvalidParameterCombination", f"NetworkType {network} is not supported for {engine} {version}: IPv6 needs Valkey 7.2+, Redis OSS 6.2+ or Memcached 1.6.6+.")
        family = (node_type or "").split(".")[1] if (node_type or "").count(".") == 2 else ""
        if family in NITRO_LESS:
            raise AWSError("InvalidParameterCombination", f"NetworkType {network} is not supported for node type {node_type}: IPv6 runs on Nitro node types only.")
    if rules.active(R.NETWORK_TYPE_NEEDS_FITTING_SUBNETS):
        unfit = [s for s in subnet_ids if network not in supported_network_types(region, s)]
        if unfit:
            raise AWSError("InvalidParameterCombination", f"The subnets {', '.join(unfit)} do not support NetworkType {network}.")
    check_ip_discovery(network, discovery)
    return network, discovery


def check_ip_discovery(network: str, discovery: str) -> None:
    if not rules.active(R.IP_DISCOVERY_MATCHES_NETWORK):
        return
    if (network == "ipv4" and discovery == "ipv6") or (network == "ipv6" and discovery == "ipv4"):
        raise AWSError("InvalidParameterCombination", f"IpDiscovery {discovery} is not valid for NetworkType {network}.")


def check_zones(zones: list[str], subnet_zones: list[str], expected: int | None, what: str) -> None:
    """Preferred zones must be zones of the subnet group, as many as the nodes they place."""
    if not zones or not rules.active(R.PREFERRED_AZS_IN_SUBNET_GROUP):
        return
    if expected is not None and len(zones) != expected:
        raise AWSError("InvalidParameterValue", f"The number of Availability Zones in {what} ({len(zones)}) must equal the number of nodes ({expected}).")
    outside = sorted({z for z in zones if z not in subnet_zones})
    if outside and subnet_zones:
        raise AWSError("InvalidParameterCombination", f"Availability Zones {', '.join(outside)} are not associated with the subnets of the cache subnet group ({', '.join(subnet_zones)}).")


def check_groups_vpc(region: str, group_ids: list[str], vpc_id: str | None) -> None:
    if not vpc_id or not rules.active(R.SECURITY_GROUPS_IN_CACHE_VPC):
        return
    for gid in group_ids:
        g = ext_ec2.security_group(region, gid)
        if g is not None and g.vpc_id and g.vpc_id != vpc_id:
            raise AWSError("InvalidParameterCombination", f"The security group {gid} belongs to {g.vpc_id}, not to the VPC of the cache's subnets ({vpc_id}).")
