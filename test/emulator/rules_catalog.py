"""The catalog of AWS's semantic rules the emulator enforces (see rules.py for the mechanism).

Each entry names what AWS does, the error it answers, where that is written down, and the tests
that show the emulator rejecting and accepting. `declare` entries are checked inline by the
handler (they need state the handler works out); `@rule` entries run before the handler.
RULES.md is rendered from this file: `python3 test/emulator/rules.py --markdown > test/emulator/RULES.md`.
"""

from __future__ import annotations

from rules import declare

# ---------------------------------------------------------------- every service: the model

_MODEL_SOURCE = ("botocore 1.43 service-2.json of the called service: the operation's input shape "
                 "({what}); AWS validates requests against the same Smithy model "
                 "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html: "
                 "ValidationError / MissingParameter / InvalidParameterValue)")
_MODEL_ERROR = "InvalidParameterValue / MissingParameter / ValidationError / ValidationException (validation.py)"
_MODEL_TESTS = ("TestEmulatorModelValidation", "test_validation_rules")
for _name, _what, _aws in (
    ("model-required", "`required`", "A request without a required member is rejected."),
    ("model-enum", "`enum`", "A string outside the member's enum is rejected."),
    ("model-length", "`min` / `max` on strings, blobs, lists and maps",
     "Strings, lists and maps shorter or longer than the model allows are rejected."),
    ("model-range", "`min` / `max` on numbers", "Numbers outside the model's range are rejected."),
    ("model-pattern", "`pattern`, matched against the whole value", "Strings that do not match the member's pattern are rejected."),
    ("model-type", "member types", "A JSON / CBOR value of the wrong type is rejected."),
):
    declare(_name, service="*", operations=("*",), aws=_aws, error=_MODEL_ERROR,
            source=_MODEL_SOURCE.format(what=_what), tests=_MODEL_TESTS)

EC = "elasticache"
RG_CREATE_MODIFY = ("CreateReplicationGroup", "ModifyReplicationGroup")
BOTO_EC = "botocore elasticache 2015-02-02 service-2.json"

# ---------------------------------------------------------------- replication groups: failover

MULTI_AZ_NEEDS_FAILOVER = declare(
    "rg-multi-az-needs-failover", service=EC, operations=RG_CREATE_MODIFY,
    aws="Multi-AZ can only be enabled together with automatic failover.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html "
           "(\"enabling Multi-AZ ... automatic failover is enabled\"); hashicorp/aws "
           "internal/service/elasticache/replication_group.go CustomizeDiff "
           "(\"automatic_failover_enabled must be true if multi_az_enabled is true\")",
    tests=("TestEmulatorRules",),
)

FAILOVER_NEEDS_REPLICA = declare(
    "rg-failover-needs-replica", service=EC, operations=RG_CREATE_MODIFY,
    aws="Automatic failover on a cluster-mode-disabled group needs at least one replica.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.NumCacheClusters: \"If AutomaticFailoverEnabled is true, "
           "the value of this parameter must be at least 2.\"",
    tests=("TestEmulatorRules",),
)

CLUSTER_MODE_NEEDS_FAILOVER = declare(
    "rg-cluster-mode-needs-failover", service=EC, operations=RG_CREATE_MODIFY,
    aws="A cluster-mode-enabled group must have automatic failover enabled.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.AutomaticFailoverEnabled: \"AutomaticFailoverEnabled must be "
           "enabled for Valkey or Redis OSS (cluster mode enabled) replication groups.\"",
    tests=("TestEmulatorRules",),
)

# ---------------------------------------------------------------- replication groups: security

AUTH_TOKEN_NEEDS_TLS = declare(
    "rg-auth-token-needs-tls", service=EC, operations=RG_CREATE_MODIFY,
    aws="An AUTH token can only be set on a group with in-transit encryption.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.AuthToken: \"AuthToken can be specified only on replication "
           "groups where TransitEncryptionEnabled is true.\"",
    tests=("TestEmulatorRules",),
)

KMS_NEEDS_AT_REST = declare(
    "rg-kms-key-needs-at-rest-encryption", service=EC, operations=("CreateReplicationGroup",),
    aws="A KMS key is only accepted when encryption at rest is enabled.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html "
           "(customer managed keys are used for at-rest encryption); hashicorp/aws replication_group.go "
           "kms_key_id is only sent with at_rest_encryption_enabled",
    tests=("TestEmulatorRules",),
)

# ---------------------------------------------------------------- data plane (dataplane.py): engines enforce

DP_RESTRICTED_COMMANDS = declare(
    "dp-restricted-commands", service=EC, operations=("(engine)",),
    aws="Clients cannot run bgrewriteaof, bgsave, config, debug, migrate, replicaof, save, slaveof, shutdown or sync.",
    error="engine reply: ERR unknown command",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ClientConfig.RestrictedCommands.html "
           "(\"ElastiCache restricts access to certain cache engine-specific commands\")",
    tests=("TestAccDataPlane_tlsAuthAndRotation",),
)

DP_AUTH_TOKEN = declare(
    "dp-auth-token-rotate-set", service=EC, operations=("CreateReplicationGroup", "ModifyReplicationGroup"),
    aws="The AUTH token is the engine's password: ROTATE keeps the old and the new token valid, SET keeps only "
        "the new one, DELETE removes it; a wrong token is refused.",
    error="engine reply: WRONGPASS / NOAUTH",
    source=f"{BOTO_EC} ModifyReplicationGroup.AuthTokenUpdateStrategy (\"ROTATE ... SET - allowed only after ROTATE\"); "
           "AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html (rotating AUTH tokens)",
    tests=("TestAccDataPlane_tlsAuthAndRotation",),
)

DP_TRANSIT_MODE = declare(
    "dp-transit-encryption-mode", service=EC, operations=("CreateReplicationGroup", "ModifyReplicationGroup"),
    aws="With in-transit encryption `required` only TLS connections are accepted; `preferred` accepts encrypted "
        "and unencrypted connections at the same time.",
    error="engine drops the plaintext connection",
    source=f"{BOTO_EC} CreateReplicationGroup.TransitEncryptionMode (\"preferred, to allow both encrypted and "
           "unencrypted connections ... required to allow encrypted connections only\")",
    tests=("TestAccDataPlane_tlsAuthAndRotation", "TestAccDataPlane_transitPreferred"),
)

DP_MEMCACHED_DISCOVERY = declare(
    "dp-memcached-auto-discovery", service=EC, operations=("CreateCacheCluster", "ModifyCacheCluster"),
    aws="A Memcached cluster's configuration endpoint answers `config get cluster` with a configuration version "
        "and every node's host|ip|port; the list changes when nodes are added or removed.",
    error="(none: the answer itself)",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoDiscovery.HowAutoDiscoveryWorks.html "
           "and AutoDiscovery.AddingToYourClientLibrary.html (the config get cluster reply format)",
    tests=("TestAccDataPlane_memcachedAutoDiscovery",),
)
