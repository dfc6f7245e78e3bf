// Package release checks the provider's release build against what the Terraform Registry
// expects of a provider release (https://developer.hashicorp.com/terraform/registry/providers/publishing):
//
//   - one zip per OS/arch, named terraform-provider-elasticache_<version>_<os>_<arch>.zip, holding
//     the binary terraform-provider-elasticache_v<version> (.exe on Windows);
//   - terraform-provider-elasticache_<version>_SHA256SUMS listing every zip and the manifest with
//     their SHA-256;
//   - terraform-provider-elasticache_<version>_manifest.json, the repository's
//     terraform-registry-manifest.json, declaring protocol version 6.0.
//
// TestReleaseArtifacts builds a snapshot with the goreleaser pinned in tools/ (bin/goreleaser,
// built by `make tools`) for three targets (linux/amd64, darwin/arm64, windows/amd64) into a
// temporary directory and checks it. With RELEASE_DIST set (`make release-snapshot` does) it
// checks that directory instead, against the full OS/arch matrix of .goreleaser.yml. Building a
// snapshot compiles the provider for three platforms, minutes on a small machine, so like the
// acceptance tests it runs under TF_ACC only (make test); `go test ./...` skips it.
package release

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

const project = "terraform-provider-elasticache"

// testTargets are the OS/arch pairs the test builds itself: the three platforms users run
// Terraform on most. The configuration keeps the registry's full matrix.
var testTargets = []string{"darwin_arm64", "linux_amd64", "windows_amd64"}

// semver is the registry's version syntax (SemVer 2.0, no leading v).
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

func TestReleaseArtifacts(t *testing.T) {
	root := repoRoot(t)
	dist := os.Getenv("RELEASE_DIST")
	want := testTargets
	if dist == "" {
		acctest.SkipUnlessAcc(t)
		goreleaser := findGoreleaser(t, root)
		dist = buildSnapshot(t, root, goreleaser, testTargets)
	} else {
		want = configuredTargets(t, root)
	}
	checkReleaseSet(t, root, dist, want)
	checkPlanSummaryArchives(t, dist, os.Getenv("RELEASE_DIST") == "")
	checkModulePackage(t, dist)
}

// TestGoreleaserCheck runs `goreleaser check` on the repository's configuration.
func TestGoreleaserCheck(t *testing.T) {
	root := repoRoot(t)
	goreleaser := findGoreleaser(t, root)
	cmd := exec.Command(goreleaser, "check")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}
}

// TestConfiguredMatrix checks that .goreleaser.yml still builds the registry's full matrix,
// whatever the test build restricts itself to.
func TestConfiguredMatrix(t *testing.T) {
	got := configuredTargets(t, repoRoot(t))
	for _, must := range []string{"darwin_amd64", "darwin_arm64", "freebsd_amd64", "linux_386", "linux_amd64", "linux_arm", "linux_arm64", "windows_386", "windows_amd64", "windows_arm64"} {
		if !contains(got, must) {
			t.Errorf(".goreleaser.yml does not build %s; it builds %v", must, got)
		}
	}
}

// TestRestrictTargets checks the test build's derived configuration without building: both
// target blocks of .goreleaser.yml become the explicit lists, and a block that is not there is
// an error.
func TestRestrictTargets(t *testing.T) {
	config, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	derived, err := restrictTargets(string(config), "targets", []string{"linux_arm64"})
	if err == nil {
		derived, err = restrictTargets(derived, "plan-summary targets", planSummaryTestTargets)
	}
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(derived, "# BEGIN") || strings.Contains(derived, "# END") ||
		strings.Count(derived, "- linux_arm64\n") != 1 || strings.Count(derived, "- "+planSummaryTestTargets[0]+"\n") != 1 {
		t.Errorf("derived configuration:\n%s", derived)
	}
	if _, err := restrictTargets(derived, "targets", nil); err == nil {
		t.Error("a configuration without the block: want an error")
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".goreleaser.yml")); err != nil {
		t.Fatalf("repository root not found from %s: %v", root, err)
	}
	return root
}

// findGoreleaser is GORELEASER, else bin/goreleaser, else goreleaser on PATH; the test is
// skipped when there is none.
func findGoreleaser(t *testing.T, root string) string {
	t.Helper()
	if p := os.Getenv("GORELEASER"); p != "" {
		return p
	}
	name := "goreleaser"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if p := filepath.Join(root, "bin", name); isFile(p) {
		return p
	}
	if p, err := exec.LookPath("goreleaser"); err == nil {
		return p
	}
	t.Skip("goreleaser is not installed: run `make tools` (builds the version pinned in tools/go.mod into bin/) or set GORELEASER")
	return ""
}

// buildSnapshot runs `goreleaser release --snapshot --clean --skip=sign,publish` with the
// repository's configuration, restricted to targets and writing into a temporary dist.
func buildSnapshot(t *testing.T, root, goreleaser string, targets []string) string {
	t.Helper()
	config, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dist := filepath.Join(tmp, "dist")
	derived, err := restrictTargets(string(config), "targets", targets)
	if err == nil { // the plan summary's own list: the test's snapshot builds planSummaryTestTargets only
		derived, err = restrictTargets(derived, "plan-summary targets", planSummaryTestTargets)
	}
	if err != nil {
		t.Fatal(err)
	}
	derived = strings.Replace(derived, "\nproject_name:", fmt.Sprintf("\ndist: %q\n\nproject_name:", dist), 1)
	configPath := filepath.Join(tmp, "goreleaser.yml")
	if err := os.WriteFile(configPath, []byte(derived), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goreleaser, "release", "--snapshot", "--clean", "--skip=sign,publish", "--config", configPath)
	cmd.Dir = root
	// The before hook's module package goes to the test's directory, not the repository's .build.
	packages := filepath.Join(tmp, "module-package")
	cmd.Env = append(os.Environ(), "MODULE_PACKAGE_DIR="+packages)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("goreleaser release --snapshot: %v\n%s", err, out.String())
	}
	t.Logf("goreleaser built %v in %s", targets, time.Since(start).Round(time.Second))
	copyModulePackage(t, packages, dist) // as make release-snapshot does
	return dist
}

// restrictTargets replaces the target list between the "# BEGIN <block>" and "# END <block>"
// markers of .goreleaser.yml with an explicit one ("targets": the OS/arch matrix of goos/goarch/ignore).
func restrictTargets(config, block string, targets []string) (string, error) {
	lines := strings.Split(config, "\n")
	begin, end := -1, -1
	for i, l := range lines {
		switch strings.TrimSpace(l) {
		case "# BEGIN " + block:
			begin = i
		case "# END " + block:
			end = i
		}
	}
	if begin < 0 || end < begin {
		return "", fmt.Errorf(".goreleaser.yml has no \"# BEGIN %s\" ... \"# END %s\" block", block, block)
	}
	indent := lines[begin][:len(lines[begin])-len(strings.TrimLeft(lines[begin], " "))]
	repl := []string{indent + "targets:"}
	for _, target := range targets {
		repl = append(repl, indent+"  - "+target)
	}
	out := append(append(append([]string{}, lines[:begin]...), repl...), lines[end+1:]...)
	return strings.Join(out, "\n"), nil
}

// configuredTargets reads the goos x goarch matrix minus ignore from .goreleaser.yml.
func configuredTargets(t *testing.T, root string) []string {
	t.Helper()
	config, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var goos, goarch []string
	ignored := map[string]bool{}
	section, pendingOS := "", ""
	inBlock := false
	for _, raw := range strings.Split(string(config), "\n") {
		l := strings.TrimSpace(raw)
		switch l {
		case "# BEGIN targets":
			inBlock = true
			continue
		case "# END targets":
			inBlock = false
		}
		if !inBlock || l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		value := func(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }
		switch {
		case l == "goos:" || l == "goarch:" || l == "ignore:":
			section = strings.TrimSuffix(l, ":")
		case section == "goos" && strings.HasPrefix(l, "- "):
			goos = append(goos, value(l[2:]))
		case section == "goarch" && strings.HasPrefix(l, "- "):
			goarch = append(goarch, value(l[2:]))
		case section == "ignore" && strings.HasPrefix(l, "- goos:"):
			pendingOS = value(strings.TrimPrefix(l, "- goos:"))
		case section == "ignore" && strings.HasPrefix(l, "goarch:"):
			ignored[pendingOS+"_"+value(strings.TrimPrefix(l, "goarch:"))] = true
		}
	}
	var targets []string
	for _, o := range goos {
		for _, a := range goarch {
			if !ignored[o+"_"+a] {
				targets = append(targets, o+"_"+a)
			}
		}
	}
	if len(targets) == 0 {
		t.Fatal("no goos/goarch matrix found between the target markers of .goreleaser.yml")
	}
	sort.Strings(targets)
	return targets
}

// checkReleaseSet checks the files of a release in dist against the registry's expectations
// for the given targets.
func checkReleaseSet(t *testing.T, root, dist string, targets []string) {
	t.Helper()
	sumsFiles, _ := filepath.Glob(filepath.Join(dist, project+"_*_SHA256SUMS"))
	if len(sumsFiles) != 1 {
		t.Fatalf("want exactly one %s_<version>_SHA256SUMS in %s, found %v", project, dist, sumsFiles)
	}
	version := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(sumsFiles[0]), project+"_"), "_SHA256SUMS")
	if !semver.MatchString(version) {
		t.Fatalf("version %q (from %s) is not a registry version (SemVer without a leading v)", version, filepath.Base(sumsFiles[0]))
	}
	t.Logf("release %s in %s", version, dist)

	// Archives: exactly one zip per target, with the registry's names and the binary inside.
	zips, _ := filepath.Glob(filepath.Join(dist, "*.zip"))
	var gotZips []string
	for _, z := range zips {
		gotZips = append(gotZips, filepath.Base(z))
	}
	var wantZips []string
	for _, target := range targets {
		wantZips = append(wantZips, fmt.Sprintf("%s_%s_%s.zip", project, version, target))
	}
	sort.Strings(gotZips)
	sort.Strings(wantZips)
	if strings.Join(gotZips, ",") != strings.Join(wantZips, ",") {
		t.Errorf("archives:\n got %v\nwant %v", gotZips, wantZips)
	}
	for _, target := range targets {
		checkArchive(t, filepath.Join(dist, fmt.Sprintf("%s_%s_%s.zip", project, version, target)), version, target)
	}

	// The registry manifest: listed in SHA256SUMS under its release name, declaring protocol 6.0.
	manifestName := fmt.Sprintf("%s_%s_manifest.json", project, version)
	manifestPath := filepath.Join(dist, manifestName)
	if !isFile(manifestPath) {
		// goreleaser hashes the manifest into SHA256SUMS, but only a published release uploads
		// it (release.extra_files); make release-snapshot copies it into dist.
		manifestPath = filepath.Join(root, "terraform-registry-manifest.json")
	}
	checkManifest(t, manifestPath)

	// SHA256SUMS: every zip and the manifest, each with its real digest, nothing else.
	sums := readSums(t, sumsFiles[0])
	wantListed := append(append([]string{}, wantZips...), manifestName)
	sort.Strings(wantListed)
	var listed []string
	for name := range sums {
		listed = append(listed, name)
	}
	sort.Strings(listed)
	if strings.Join(listed, ",") != strings.Join(wantListed, ",") {
		t.Errorf("%s lists:\n got %v\nwant %v", filepath.Base(sumsFiles[0]), listed, wantListed)
	}
	for name, sum := range sums {
		path := filepath.Join(dist, name)
		if name == manifestName {
			path = manifestPath
		}
		if !isFile(path) {
			continue // reported above
		}
		if got := sha256File(t, path); got != sum {
			t.Errorf("SHA256SUMS says %s has sha256 %s, the file has %s", name, sum, got)
		}
	}
}

// checkArchive: the zip holds terraform-provider-elasticache_v<version>(.exe) at its root, a
// non-empty executable for the target's OS (ELF, Mach-O or PE), and no other binary.
func checkArchive(t *testing.T, path, version, target string) {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	defer func() { _ = r.Close() }()
	goos := strings.SplitN(target, "_", 2)[0]
	binary := fmt.Sprintf("%s_v%s", project, version)
	if goos == "windows" {
		binary += ".exe"
	}
	var names []string
	found := false
	for _, f := range r.File {
		names = append(names, f.Name)
		if strings.HasPrefix(f.Name, project) && f.Name != binary {
			t.Errorf("%s: unexpected provider file %q (want only %q)", filepath.Base(path), f.Name, binary)
		}
		if f.Name != binary {
			continue
		}
		found = true
		if f.UncompressedSize64 < 1<<20 {
			t.Errorf("%s: %s is only %d bytes", filepath.Base(path), binary, f.UncompressedSize64)
		}
		if goos != "windows" && f.Mode()&0o111 == 0 {
			t.Errorf("%s: %s is not executable (mode %v)", filepath.Base(path), binary, f.Mode())
		}
		rc, err := f.Open()
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		head := make([]byte, 4)
		_, err = io.ReadFull(rc, head)
		_ = rc.Close()
		if err != nil {
			t.Errorf("%s: reading %s: %v", filepath.Base(path), binary, err)
			continue
		}
		if want := executableFormat(goos); !bytes.HasPrefix(head, want.magic) {
			t.Errorf("%s: %s starts with % x, want a %s executable (% x)", filepath.Base(path), binary, head, want.name, want.magic)
		}
	}
	if !found {
		t.Errorf("%s holds %v; want %s at its root", filepath.Base(path), names, binary)
	}
}

type format struct {
	name  string
	magic []byte
}

func executableFormat(goos string) format {
	switch goos {
	case "windows":
		return format{"PE", []byte("MZ")}
	case "darwin":
		return format{"Mach-O", []byte{0xcf, 0xfa, 0xed, 0xfe}} // 64-bit, little endian
	}
	return format{"ELF", []byte{0x7f, 'E', 'L', 'F'}}
}

func checkManifest(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("manifest: %v", err)
		return
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Errorf("manifest %s: %v", path, err)
		return
	}
	if m.Version != 1 || strings.Join(m.Metadata.ProtocolVersions, ",") != "6.0" {
		t.Errorf("manifest %s: version %d, protocol_versions %v; want 1 and [\"6.0\"] (terraform-plugin-framework serves protocol 6)", path, m.Version, m.Metadata.ProtocolVersions)
	}
}

// readSums parses a sha256sum-format file: "<64 hex>  <name>" per line.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	sums := map[string]string{}
	line := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)
	s := bufio.NewScanner(f)
	for s.Scan() {
		m := line.FindStringSubmatch(s.Text())
		if m == nil {
			t.Errorf("%s: malformed line %q", filepath.Base(path), s.Text())
			continue
		}
		if _, dup := sums[m[2]]; dup {
			t.Errorf("%s lists %s twice", filepath.Base(path), m[2])
		}
		sums[m[2]] = m[1]
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
