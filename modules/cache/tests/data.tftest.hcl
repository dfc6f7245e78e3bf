# Plan-only tests of the data inputs of the tiers whose data is worth keeping (modules/cache holds
# this file, modules/genai-session links to it): each reaches the stack through the tier. Their
# checks are tested in ../internal/stack/tests. The stack is overridden: at plan the provider looks
# the snapshots to restore up, and these tests prove the wiring, not the lookup (the provider's
# acceptance tests do that).

override_resource {
  target          = module.stack.elasticache_stack.this
  override_during = plan
}

variables {
  name       = "tftest-data"
  subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
}

run "nodes_restore_keep_and_snapshot_their_data" {
  command = plan

  variables {
    restore_from             = { snapshot_name = "tftest-nightly" }
    preserve_data_on_replace = true
    keep_preserve_snapshot   = true
    final_snapshot_name      = "tftest-final"
  }

  assert {
    condition     = module.stack.stack.restore_from.snapshot_name == "tftest-nightly" && module.stack.stack.provisioned.final_snapshot_name == "tftest-final"
    error_message = "restore_from and final_snapshot_name reach the node-based stack."
  }
  assert {
    condition     = module.stack.stack.preserve_data_on_replace && module.stack.stack.keep_preserve_snapshot
    error_message = "preserve_data_on_replace and keep_preserve_snapshot reach the stack."
  }
}

run "a_serverless_cache_restores_from_snapshot_arns" {
  command = plan

  variables {
    load_pattern        = "spiky"
    restore_from        = { snapshot_arns = ["arn:aws:elasticache:us-east-1:123456789012:snapshot:tftest-nightly"] }
    final_snapshot_name = "tftest-final"
  }

  assert {
    condition     = tolist(module.stack.stack.restore_from.snapshot_arns) == tolist(["arn:aws:elasticache:us-east-1:123456789012:snapshot:tftest-nightly"]) && module.stack.stack.serverless.final_snapshot_name == "tftest-final"
    error_message = "A serverless cache restores from snapshot_arns and takes final_snapshot_name."
  }
  assert {
    condition     = !module.stack.stack.preserve_data_on_replace && !module.stack.stack.keep_preserve_snapshot
    error_message = "Without preserve_data_on_replace a replacement keeps no snapshot."
  }
}
