package blueprint

import (
	"slices"
	"strings"
	"testing"
)

const (
	mon = 0 * minutesPerDay
	tue = 1 * minutesPerDay
	wed = 2 * minutesPerDay
	sat = 5 * minutesPerDay
	sun = 6 * minutesPerDay
)

// windowCase is one input of a window parser: the interval it means, or a part of the error.
type windowCase struct {
	in      string
	want    interval
	wantErr string // empty: accepted
}

// checkWindowParser runs parse on every case: accepted inputs give their interval, rejected
// ones an error that contains wantErr and quotes the input.
func checkWindowParser(t *testing.T, parse func(string) (interval, error), tests []windowCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parse(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want accepted, got %v", err)
				}
				if got != tt.want {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error containing %q, got %+v", tt.wantErr, got)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `"`+tt.in+`"`) {
				t.Errorf("error %q must contain %q and quote the input", err, tt.wantErr)
			}
		})
	}
}

// rejected are the cases of inputs a parser refuses with an error containing wantErr.
func rejected(wantErr string, inputs ...string) []windowCase {
	out := make([]windowCase, len(inputs))
	for i, in := range inputs {
		out[i] = windowCase{in: in, wantErr: wantErr}
	}
	return out
}

func TestParseDailyWindow(t *testing.T) {
	tests := []windowCase{
		{"03:00-04:00", interval{180, 240}, ""},
		{"00:00-01:00", interval{0, 60}, ""},
		{"00:00-23:59", interval{0, 1439}, ""},
		{"23:30-00:30", interval{1410, 30}, ""},
		{"22:15-23:15", interval{1335, 1395}, ""},
		{"05:00-04:59", interval{300, 299}, ""}, // 23 h 59 min across midnight
	}
	tests = append(tests, rejected("lasts 59 minutes; AWS requires at least 60", "03:00-03:59")...)
	tests = append(tests, rejected("lasts 0 minutes", "03:00-03:00")...)
	tests = append(tests, rejected("lasts 59 minutes", "23:30-00:29")...)
	tests = append(tests, rejected("hh24:mi-hh24:mi", "3:00-4:00", "24:00-01:00", "03:60-04:00", "03:00-04:00 ", "03:00 - 04:00", "0300-0400", "sun:03:00-sun:04:00", "")...)
	checkWindowParser(t, parseDailyWindow, tests)
}

func TestParseWeeklyWindow(t *testing.T) {
	tests := []windowCase{
		{"sun:05:00-sun:06:00", interval{sun + 300, sun + 360}, ""},
		{"SUN:05:00-Sun:06:00", interval{sun + 300, sun + 360}, ""},
		{"mon:00:00-mon:01:00", interval{mon, mon + 60}, ""},
		{"tue:23:30-wed:00:30", interval{tue + 1410, wed + 30}, ""},
		{"sat:23:00-sun:01:00", interval{sat + 1380, sun + 60}, ""},
		{"sun:23:00-mon:01:00", interval{sun + 1380, mon + 60}, ""},
	}
	tests = append(tests, rejected("lasts 59 minutes; AWS requires at least 60", "sun:23:30-mon:00:29")...)
	tests = append(tests, rejected("lasts 30 minutes", "sun:05:00-sun:05:30")...)
	tests = append(tests, rejected("lasts 0 minutes", "sun:05:00-sun:05:00")...)
	tests = append(tests, rejected("ddd:hh24:mi-ddd:hh24:mi", "sun:5:00-sun:6:00", "sunday:05:00-sunday:06:00", "sun:05:00-06:00", "xyz:05:00-xyz:06:00", "sun:24:00-mon:01:00", "05:00-06:00", "")...)
	checkWindowParser(t, parseWeeklyWindow, tests)
}

// must is the interval parse makes of s; the test stops if parse refuses it.
func must(t *testing.T, parse func(string) (interval, error), s string) interval {
	t.Helper()
	w, err := parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWindowsOverlap(t *testing.T) {
	tests := []struct {
		daily, weekly string
		want          bool
	}{
		// plain windows on the same day
		{"03:00-04:00", "sun:05:00-sun:06:00", false},
		{"05:30-06:30", "sun:05:00-sun:06:00", true},
		{"04:30-05:30", "sun:05:00-sun:06:00", true},
		{"05:00-06:00", "sun:05:00-sun:06:00", true},
		{"04:00-07:00", "sun:05:00-sun:06:00", true},
		{"04:00-05:00", "sun:05:00-sun:06:00", false}, // touching
		{"06:00-07:00", "sun:05:00-sun:06:00", false}, // touching
		{"12:00-13:00", "wed:12:30-wed:13:30", true},  // a daily window meets every day
		{"12:00-13:00", "mon:12:30-mon:13:30", true},
		// long maintenance window spanning days
		{"12:00-13:00", "mon:14:00-tue:11:00", false},
		{"12:00-13:00", "mon:14:00-tue:12:30", true},
		// snapshot window crossing midnight
		{"23:30-00:30", "mon:00:00-mon:01:00", true},
		{"23:30-00:30", "wed:00:00-wed:01:00", true},
		{"23:30-00:30", "tue:23:00-wed:00:00", true},
		{"23:30-00:30", "wed:00:30-wed:01:30", false},
		{"23:30-00:30", "tue:22:30-tue:23:30", false},
		{"23:30-00:30", "sun:23:45-mon:00:45", true},
		{"23:30-00:30", "mon:01:00-mon:02:00", false},
		// maintenance window crossing sat -> sun
		{"00:00-01:00", "sat:23:30-sun:00:30", true},
		{"22:00-23:45", "sat:23:30-sun:00:30", true},
		{"01:00-02:00", "sat:23:30-sun:00:30", false},
		{"22:30-23:30", "sat:23:30-sun:00:30", false},
		// maintenance window crossing the end of the week sun -> mon
		{"00:00-01:00", "sun:23:30-mon:00:30", true},
		{"22:00-23:45", "sun:23:30-mon:00:30", true},
		{"00:30-01:30", "sun:23:30-mon:00:30", false},
		{"12:00-13:00", "sun:23:30-mon:00:30", false},
		// both crossing midnight
		{"23:00-01:00", "sun:23:30-mon:00:30", true},
		{"23:00-01:00", "sat:23:30-sun:00:30", true},
		{"23:00-01:00", "wed:01:00-wed:02:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.daily+" vs "+tt.weekly, func(t *testing.T) {
			if got := windowsOverlap(must(t, parseDailyWindow, tt.daily), must(t, parseWeeklyWindow, tt.weekly)); got != tt.want {
				t.Errorf("windowsOverlap = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCircularOverlap(t *testing.T) {
	const p = 100
	tests := []struct {
		a, b interval
		want bool
	}{
		{interval{10, 20}, interval{15, 25}, true},
		{interval{10, 20}, interval{20, 30}, false},
		{interval{90, 10}, interval{5, 15}, true},   // a wraps
		{interval{90, 10}, interval{85, 95}, true},  // a wraps
		{interval{90, 10}, interval{10, 20}, false}, // touching after the wrap
		{interval{5, 15}, interval{95, 8}, true},    // b wraps
		{interval{95, 105}, interval{0, 10}, true},  // a written past the period
		{interval{40, 60}, interval{95, 5}, false},
	}
	for _, tt := range tests {
		if got := circularOverlap(tt.a, tt.b, p); got != tt.want {
			t.Errorf("circularOverlap(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := circularOverlap(tt.b, tt.a, p); got != tt.want {
			t.Errorf("circularOverlap(%v, %v) = %v, want %v (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestDayIndex(t *testing.T) {
	for i, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		if got := dayIndex(d); got != i {
			t.Errorf("dayIndex(%q) = %d, want %d", d, got, i)
		}
	}
	if got := dayIndex("xyz"); got != 0 {
		t.Errorf("dayIndex(xyz) = %d, want 0", got)
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"7.2", "8.0", -1},
		{"8.0", "7.2", 1},
		{"8.0", "8.0", 0},
		{"8.0", "8.1", -1},
		{"8.1", "8.0", 1},
		{"7.10", "7.9", 1}, // numeric, not lexical
		{"10.0", "9.9", 1},
		{"7", "7.0", 0},
		{"6", "7.0", -1},
		{"7.0.1", "7.0", 0}, // patch level is ignored
		{"6.2.6", "7.0.4", -1},
		{"abc", "7.0", 0}, // malformed compares equal
		{"7.0", "", 0},
		{"7.x", "7.1", 0},
		{"1.2.3.4", "1.0", 0},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d (antisymmetry)", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestParameterGroupFamily(t *testing.T) {
	type engineVersion struct{ engine, version string }
	families := map[string][]engineVersion{
		"valkey7":      {{EngineValkey, "7.2"}},
		"valkey8":      {{EngineValkey, "8.0"}, {EngineValkey, "8.1"}, {EngineValkey, "8"}},
		"redis6.x":     {{EngineRedis, "6.0"}, {EngineRedis, "6.2"}},
		"redis7":       {{EngineRedis, "7.0"}, {EngineRedis, "7.1"}, {EngineRedis, "7.1.0"}},
		"memcached1.6": {{"memcached", "1.6"}},
		// no family: an error
		"": {
			{EngineValkey, "6.2"}, {EngineValkey, "9.0"}, {EngineRedis, "5.0.6"}, {EngineRedis, "8.0"},
			{"memcached", "2.0"}, {"", "7.0"}, {EngineRedis, ""}, {EngineRedis, "seven"}, {EngineRedis, "7.one"}, {EngineRedis, "7.0.0.0"},
		},
	}
	for want, cases := range families {
		for _, tt := range cases {
			got, err := ParameterGroupFamily(tt.engine, tt.version)
			if wantErr := want == ""; (err != nil) != wantErr || got != want {
				t.Errorf("ParameterGroupFamily(%q, %q) = %q, %v; want %q, error %v", tt.engine, tt.version, got, err, want, wantErr)
			}
		}
	}
}

// TestEngineCatalogueIsConsistent ties the engine tables together: every engine has a default
// version it knows, and every known version maps to a parameter group family.
func TestEngineCatalogueIsConsistent(t *testing.T) {
	for _, e := range Engines {
		versions := knownEngineVersions[e]
		if len(versions) == 0 {
			t.Errorf("engine %s: no known versions", e)
		}
		if !slices.Contains(versions, DefaultEngineVersion[e]) {
			t.Errorf("engine %s: default version %q is not among %v", e, DefaultEngineVersion[e], versions)
		}
		if !slices.IsSortedFunc(versions, CompareVersions) {
			t.Errorf("engine %s: known versions %v are not in ascending order", e, versions)
		}
		for _, v := range versions {
			if _, err := ParameterGroupFamily(e, v); err != nil {
				t.Errorf("engine %s %s is known but has no family: %v", e, v, err)
			}
		}
	}
	if !slices.Equal(knownEngineVersions["memcached"], []string{"1.6"}) {
		t.Errorf("memcached versions = %v", knownEngineVersions["memcached"])
	}
	if !slices.Contains(EvictionPolicies, "volatile-lru") || !slices.Contains(EvictionPolicies, "noeviction") || len(EvictionPolicies) != 8 {
		t.Errorf("EvictionPolicies = %v", EvictionPolicies)
	}
	if !slices.Equal(TransitEncryptionModes, []string{"required", "preferred"}) {
		t.Errorf("TransitEncryptionModes = %v", TransitEncryptionModes)
	}
	if !slices.Equal(Modes, []string{"provisioned", "serverless"}) {
		t.Errorf("Modes = %v", Modes)
	}
}
