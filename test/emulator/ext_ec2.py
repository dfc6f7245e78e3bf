"""EC2 lookups against moto's in-process EC2 backend, and our hook on DeleteSecurityGroup.

EC2 itself (VPCs, subnets, security groups and their rules, tags) is moto's. The extensions
need to read it (subnet AZs and VPCs for subnet groups, security groups that caches use), and
DeleteSecurityGroup must fail with DependencyViolation while a cache still uses the group,
which moto cannot know about.
"""

from __future__ import annotations

from typing import Any, Callable

from protocols import ACCOUNT_ID, AWSError, Response, ec2_error


def backend(region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[ACCOUNT_ID][region]


def subnet(region: str, subnet_id: str) -> tuple[str, str]:
    """Returns (vpc_id, availability_zone) of a subnet, or raises InvalidSubnet."""
    for zone_subnets in backend(region).subnets.values():
        if subnet_id in zone_subnets:
            s = zone_subnets[subnet_id]
            return s.vpc_id, s.availability_zone
    raise AWSError("InvalidSubnet", f"The subnet ID '{subnet_id}' does not exist")


def security_group(region: str, group_id: str) -> Any | None:
    return backend(region).get_security_group_from_id(group_id)


def require_security_groups(region: str, group_ids: list[str]) -> None:
    missing = [g for g in group_ids if security_group(region, g) is None]
    if missing:
        raise AWSError("InvalidParameterValue", f"Some security group Id not recognized by EC2: {', '.join(missing)}")


def default_subnets(region: str, count: int = 3) -> list[str]:
    subs = sorted(backend(region).get_default_subnets().values(), key=lambda s: s.availability_zone)
    return [s.id for s in subs[:count]]


def default_security_group(region: str) -> str | None:
    group = backend(region).get_default_security_group()
    return group.id if group is not None else None


def security_groups(region: str) -> list[dict[str, str]]:
    """All security groups in a region except the default ones (for /_emulator/resources)."""
    out = []
    for groups in backend(region).groups.values():
        for g in groups.values():
            if g.name == "default":
                continue
            out.append({"id": g.id, "name": g.name, "vpc_id": g.vpc_id or "", "region": region})
    return out


def check_delete_security_group(
    region: str, form: Any, users_of: Callable[[str, str], list[str]]
) -> Response | None:
    """Answers DeleteSecurityGroup with DependencyViolation while a cache uses the group.

    users_of(region, group_id) lists the live caches that reference the group. Returns None
    when moto should carry out the call.
    """
    group_id = form.get("GroupId")
    if not group_id and form.get("GroupName"):
        group = backend(region).get_security_group_by_name_or_id(form.get("GroupName"))
        group_id = group.id if group is not None else None
    if not group_id:
        return None
    users = users_of(region, group_id)
    if not users:
        return None
    return ec2_error(
        AWSError(
            "DependencyViolation",
            f"resource {group_id} has a dependent object ({', '.join(users)})",
            status=400,
        )
    )


class EventualConsistency:
    """AWS's EC2 is eventually consistent: a security group created a moment ago may be
    unknown to the next calls (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
    With Config.not_found_after_create = N, the next N calls naming a new group by id
    (DescribeSecurityGroups with GroupIds, Authorize/RevokeSecurityGroupIngress/Egress) answer
    InvalidGroup.NotFound, one count per call."""

    NAMING_CALLS = ("DescribeSecurityGroups", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                    "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress")

    def __init__(self, config: Any):
        self.config = config
        self.unseen: dict[str, int] = {}

    def created(self, operation: str, status: int, body: bytes) -> None:
        if operation != "CreateSecurityGroup" or status != 200 or not self.config.not_found_after_create:
            return
        import re

        m = re.search(rb"<groupId>(sg-[0-9a-f]+)</groupId>", body)
        if m:
            self.unseen[m.group(1).decode()] = self.config.not_found_after_create

    def check(self, operation: str, params: dict | None) -> None:
        if operation not in self.NAMING_CALLS or not self.unseen or not params:
            return
        ids = list(params.get("GroupIds") or []) + ([params["GroupId"]] if params.get("GroupId") else [])
        for gid in ids:
            left = self.unseen.get(gid, 0)
            if left > 0:
                self.unseen[gid] = left - 1
                raise AWSError("InvalidGroup.NotFound", f"The security group '{gid}' does not exist", status=400)


def subnet_ip_ranges(region: str, subnet_id: str) -> tuple[bool, bool]:
    """(has an IPv4 CIDR block, has an IPv6 CIDR block) of a subnet: what decides the network
    types it supports (an IPv6-only subnet is ipv6_native with no IPv4 block)."""
    for zone_subnets in backend(region).subnets.values():
        s = zone_subnets.get(subnet_id)
        if s is not None:
            ipv4 = bool(s.cidr_block) and not getattr(s, "ipv6_native", False)
            return ipv4, bool(s.ipv6_cidr_block_associations)
    raise AWSError("InvalidSubnet", f"The subnet ID '{subnet_id}' does not exist")
