"""The rules registry: RULES.md in sync, every rule shown by a test, switching rules off."""

import glob
import os
import re
import sys
import unittest
import warnings

HERE = os.path.dirname(__file__)
EMU = os.path.join(HERE, "..")
ROOT = os.path.abspath(os.path.join(EMU, "..", ".."))
sys.path.insert(0, EMU)
warnings.filterwarnings("ignore")

import rules  # noqa: E402


def _read(pattern: str) -> str:
    out = []
    for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
        with open(path, encoding="utf-8") as f:
            out.append(f.read())
    return "\n".join(out)


class RulesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        rules.load_all()

    def test_rules_md_is_generated_from_the_registry(self):
        with open(os.path.join(EMU, "RULES.md"), encoding="utf-8") as f:
            on_disk = f.read()
        self.assertEqual(on_disk, rules.markdown(),
                         "RULES.md is stale: python3 test/emulator/rules.py --markdown > test/emulator/RULES.md")

    def test_every_rule_names_tests_that_exist_and_mention_it(self):
        go = _read("internal/**/*_test.go") + _read("test/**/*_test.go")
        py = _read("test/emulator/tests/*.py")
        for r in rules.REGISTRY.values():
            self.assertTrue(r.source.strip() and r.aws.strip() and r.error.strip(), r.name)
            for name in r.tests:
                top = name.split("/")[0]
                found = re.search(rf"func {re.escape(top)}\(", go) or re.search(rf"def {re.escape(top)}\(", py)
                self.assertTrue(found, f"rule {r.name}: test {name} not found")
            self.assertIn(f'"{r.name}"', go + py, f"rule {r.name}: no test mentions it by name")

    def test_every_rule_constant_a_handler_uses_is_in_the_catalog(self):
        # R.<KEY> comes from a row of rules_catalog.toml: a key renamed or mistyped fails here,
        # not the first time a request reaches that handler.
        import rules_catalog

        used = set(re.findall(r"rules\.active\(R\.([A-Z][A-Z0-9_]*)\)", _read("test/emulator/*.py")))
        self.assertGreater(len(used), 20)
        for key in sorted(used):
            self.assertTrue(getattr(rules_catalog, key, None) in rules.REGISTRY, f"R.{key} is not a row of rules_catalog.toml")

    def test_names_are_kebab_case(self):
        for name in rules.REGISTRY:
            self.assertRegex(name, r"^[a-z0-9]+(-[a-z0-9]+)*$")

    def test_switching_off_and_unknown_names(self):
        name = sorted(rules.REGISTRY)[0]
        try:
            rules.set_disabled([name])
            self.assertFalse(rules.active(name))
            self.assertEqual(rules.disabled(), [name])
            with self.assertRaises(ValueError):
                rules.set_disabled(["no-such-rule"])
            with self.assertRaises(KeyError):
                rules.active("no-such-rule")
        finally:
            rules.set_disabled([])
        self.assertTrue(rules.active(name))

    def test_checks_run_for_their_operations_only(self):
        seen = []
        rules.register(rules.Rule("test-only-probe", "svc", ("Op",), "x", "E", "s", ("test_checks_run_for_their_operations_only",),
                                  check=lambda ctx: seen.append(ctx.operation)))
        try:
            rules.enforce(rules.Context("svc", "Other", "us-east-1", {}))
            rules.enforce(rules.Context("svc", "Op", "us-east-1", {}))
            rules.set_disabled(["test-only-probe"])
            rules.enforce(rules.Context("svc", "Op", "us-east-1", {}))
        finally:
            rules.set_disabled([])
            del rules.REGISTRY["test-only-probe"]
        self.assertEqual(seen, ["Op"])


if __name__ == "__main__":
    unittest.main()
