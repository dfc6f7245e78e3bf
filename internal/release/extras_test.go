package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// planSummaryTargets are the platforms .goreleaser.yml builds elasticache-plan-summary for;
// the test's own snapshot builds planSummaryTestTargets only, to stay short.
var (
	planSummaryTargets     = []string{"darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64"}
	planSummaryTestTargets = []string{"linux_amd64"}
)

// releaseVersion is the version in the name of the release's SHA256SUMS.
func releaseVersion(t *testing.T, dist string) string {
	t.Helper()
	sums, _ := filepath.Glob(filepath.Join(dist, project+"_*_SHA256SUMS"))
	if len(sums) != 1 {
		t.Fatalf("want one SHA256SUMS in %s, found %v", dist, sums)
	}
	return strings.TrimSuffix(strings.TrimPrefix(filepath.Base(sums[0]), project+"_"), "_SHA256SUMS")
}

// readTarGz returns the regular files of a .tar.gz, by path without a leading "./".
func readTarGz(t *testing.T, file string) map[string][]byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(file), err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(file), err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(h.Name, "./")] = data
	}
}

// checkPlanSummaryArchives: one tar.gz per platform holding the elasticache-plan-summary binary
// for it (the registry set stays zips only).
func checkPlanSummaryArchives(t *testing.T, dist string, testBuild bool) {
	t.Helper()
	version := releaseVersion(t, dist)
	targets := planSummaryTargets
	if testBuild {
		targets = planSummaryTestTargets
	}
	for _, target := range targets {
		name := filepath.Join(dist, "elasticache-plan-summary_"+version+"_"+target+".tar.gz")
		files := readTarGz(t, name)
		binary := "elasticache-plan-summary"
		if strings.HasPrefix(target, "windows_") {
			binary += ".exe"
		}
		data, ok := files[binary]
		if !ok {
			t.Errorf("%s holds %v, no %s", filepath.Base(name), keys(files), binary)
			continue
		}
		goos := strings.SplitN(target, "_", 2)[0]
		if f := executableFormat(goos); !bytes.HasPrefix(data, f.magic) {
			t.Errorf("%s: %s is not a %s executable", filepath.Base(name), binary, f.name)
		}
	}
}

var localSource = regexp.MustCompile(`(?m)^\s*source\s*=\s*"(\.\.?/[^"]*)"`)

// checkModulePackage: terraform-elasticache-tiers_<version>.tar.gz has the registry layout (a
// root module with its README, the three tier modules) and every local module source inside
// it resolves inside the package.
func checkModulePackage(t *testing.T, dist string) {
	t.Helper()
	version := releaseVersion(t, dist)
	files := readTarGz(t, filepath.Join(dist, "terraform-elasticache-tiers_"+version+".tar.gz"))
	for _, want := range []string{"README.md", "main.tf", "variables.tf", "outputs.tf", "versions.tf",
		"modules/genai-session/main.tf", "modules/rate-limit/main.tf", "modules/cache/main.tf"} {
		if _, ok := files[want]; !ok {
			t.Errorf("module package lacks %s", want)
		}
	}
	for name, data := range files {
		if strings.Contains(name, ".terraform/") || strings.HasSuffix(name, ".tfstate") || strings.HasSuffix(name, ".terraform.lock.hcl") {
			t.Errorf("module package carries a Terraform working file: %s", name)
		}
		if !strings.HasSuffix(name, ".tf") || strings.Contains(name, "/examples/") {
			continue
		}
		for _, m := range localSource.FindAllStringSubmatch(string(data), -1) {
			target := path.Join(path.Dir(name), m[1], "main.tf")
			if _, ok := files[target]; !ok {
				t.Errorf("%s sources %s, which is not in the package", name, m[1])
			}
		}
	}
}

// copyModulePackage puts the before hook's package beside the snapshot, as make
// release-snapshot does.
func copyModulePackage(t *testing.T, from, dist string) {
	t.Helper()
	found, _ := filepath.Glob(filepath.Join(from, "terraform-elasticache-tiers_*.tar.gz"))
	if len(found) != 1 {
		t.Fatalf("the goreleaser before hook made %v in %s, want one module package", found, from)
	}
	data, err := os.ReadFile(found[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dist, filepath.Base(found[0])), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
