# tflint configuration for examples/ (make lint):
#   bin/tflint --chdir=<example> --config=$PWD/examples/.tflint.hcl
# The recommended preset of the bundled terraform ruleset, plus the naming and documentation
# rules: examples are copied into users' configurations, so they should read like good ones.
# (The tier modules use modules/.tflint.hcl, every rule.) Docs snippets under
# examples/resources and examples/data-sources are linted with a terraform block added.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

rule "terraform_naming_convention" {
  enabled = true
}

rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}

rule "terraform_comment_syntax" {
  enabled = true
}
