# The call of ../internal/stack, the same in every tier module: modules/cache holds this file,
# modules/genai-session and modules/rate-limit link to it. Each tier's main.tf sets what differs
# (local.tier, and local.load_pattern / local.serverless where the tier may run serverless,
# local.restore_from / local.preserve_data_on_replace / local.keep_preserve_snapshot where its
# data is worth restoring: data_variables.tf, local.global where the tier may span regions:
# genai-session).

module "stack" {
  source = "../internal/stack"

  tier = local.tier
  name = var.name
  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
    allowed_cidr_blocks        = var.allowed_cidr_blocks
    port                       = var.port

    additional_security_group_ids = var.additional_security_group_ids
  }
  engine                 = var.engine
  engine_version         = var.engine_version
  load_pattern           = local.load_pattern
  provisioned            = var.provisioned
  serverless             = local.serverless
  security               = var.security
  auth_token             = var.auth_token
  auth_token_version     = var.auth_token_version
  users                  = var.users
  user_passwords         = var.user_passwords
  alarms                 = var.alarms
  notification_topic_arn = var.notification_topic_arn
  expected_load          = var.expected_load
  tags                   = var.tags
  key_namespace          = var.key_namespace
  final_snapshot_name    = var.final_snapshot_name

  restore_from             = local.restore_from
  preserve_data_on_replace = local.preserve_data_on_replace
  keep_preserve_snapshot   = local.keep_preserve_snapshot

  global = local.global
}

# Versions before ../internal/stack had the stack in the tier module itself.
moved {
  from = elasticache_stack.this
  to   = module.stack.elasticache_stack.this
}
