# tflint configuration for the tier modules and their examples:
#   bin/tflint --chdir=modules/<module> --config=$PWD/modules/.tflint.hcl
# The bundled terraform ruleset with every rule (naming, documented variables and outputs,
# typed variables, standard module structure, unused declarations, pinned versions, ...).
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
