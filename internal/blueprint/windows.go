package blueprint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var (
	dailyWindowPattern  = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$`)
	weeklyWindowPattern = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$`)
	weekdays            = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

const minutesPerDay = 24 * 60
const minutesPerWeek = 7 * minutesPerDay

// interval is a span of minutes on a circular week (or day) clock.
type interval struct{ start, end int }

// parseDailyWindow parses "hh24:mi-hh24:mi" (UTC), which AWS uses for snapshot windows.
func parseDailyWindow(s string) (interval, error) {
	m := dailyWindowPattern.FindStringSubmatch(s)
	if m == nil {
		return interval{}, fmt.Errorf("%q is not of the form hh24:mi-hh24:mi (UTC), for example 03:00-04:00", s)
	}
	start := atoi(m[1])*60 + atoi(m[2])
	end := atoi(m[3])*60 + atoi(m[4])
	return interval{start, end}, checkLength(start, end, minutesPerDay, s)
}

// parseWeeklyWindow parses "ddd:hh24:mi-ddd:hh24:mi" (UTC), the maintenance window format.
func parseWeeklyWindow(s string) (interval, error) {
	m := weeklyWindowPattern.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return interval{}, fmt.Errorf("%q is not of the form ddd:hh24:mi-ddd:hh24:mi (UTC), for example sun:05:00-sun:06:00", s)
	}
	start := dayIndex(m[1])*minutesPerDay + atoi(m[2])*60 + atoi(m[3])
	end := dayIndex(m[4])*minutesPerDay + atoi(m[5])*60 + atoi(m[6])
	return interval{start, end}, checkLength(start, end, minutesPerWeek, s)
}

func checkLength(start, end, period int, s string) error {
	length := (end - start + period) % period
	if length < 60 {
		return fmt.Errorf("%q lasts %d minutes; AWS requires at least 60", s, length)
	}
	return nil
}

// windowsOverlap reports whether a daily snapshot window overlaps a weekly maintenance window.
// AWS rejects such a pair at create time; we catch it at plan.
func windowsOverlap(daily, weekly interval) bool {
	for day := 0; day < 7; day++ {
		d := interval{day*minutesPerDay + daily.start, day*minutesPerDay + daily.end}
		if daily.end <= daily.start {
			d.end += minutesPerDay
		}
		if circularOverlap(d, weekly, minutesPerWeek) {
			return true
		}
	}
	return false
}

func circularOverlap(a, b interval, period int) bool {
	norm := func(x interval) (int, int) {
		s := x.start % period
		l := (x.end - x.start + period) % period
		return s, s + l
	}
	as, ae := norm(a)
	bs, be := norm(b)
	for _, shift := range []int{-period, 0, period} {
		if as < be+shift && bs+shift < ae {
			return true
		}
	}
	return false
}

func dayIndex(d string) int {
	for i, w := range weekdays {
		if w == d {
			return i
		}
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
