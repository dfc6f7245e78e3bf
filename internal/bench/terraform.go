package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// providerComm is what /proc/<pid>/comm shows for the provider (the kernel keeps 15 bytes of
// terraform-provider-elasticache_v<version>).
const providerComm = "terraform-provi"

// providerExe is the start of the provider executable's name.
const providerExe = "terraform-provider-elasticache"

// run is one terraform command: its wall time and the peak memory of the provider processes
// it started.
type run struct {
	Wall             time.Duration
	ExitCode         int
	Output           string        // combined stdout and stderr
	ProviderPeakKiB  int64         // highest VmHWM of any provider process the command started
	ProviderProcs    int           // provider processes seen
	ProviderCPU      time.Duration // user+system CPU of the provider processes (last sample)
	TerraformCPU     time.Duration // user+system CPU of terraform and the providers it waited for
	TerraformPeakKiB int64         // terraform's own max RSS (getrusage)
}

// terraform runs `terraform args...` in dir with env, sampling the VmHWM of every
// terraform-provider-elasticache process below it every interval. The output goes to logPath too.
func terraform(dir string, env []string, logPath string, interval time.Duration, args ...string) (run, error) {
	cmd := exec.Command("terraform", args...)
	cmd.Dir = dir
	cmd.Env = env
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return run{}, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	sampler := newRSSSampler(cmd.Process.Pid)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			sampler.sample()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	waitErr := cmd.Wait()
	r := run{Wall: time.Since(start), Output: out.String()}
	close(stop)
	wg.Wait()
	r.ProviderPeakKiB, r.ProviderProcs, r.ProviderCPU = sampler.peak()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		r.TerraformPeakKiB = ru.Maxrss
	}
	r.TerraformCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r.ExitCode = cmd.ProcessState.ExitCode()
	if logPath != "" {
		header := fmt.Sprintf("$ terraform %s\n# wall %.2fs, exit %d, provider peak %d KiB\n", strings.Join(args, " "), r.Wall.Seconds(), r.ExitCode, r.ProviderPeakKiB)
		_ = os.WriteFile(logPath, []byte(header+r.Output), 0o644)
	}
	if waitErr != nil {
		if _, isExit := waitErr.(*exec.ExitError); !isExit {
			return r, waitErr
		}
	}
	return r, nil
}

// rssSampler tracks the provider processes that descend from one terraform process.
type rssSampler struct {
	root  int
	mu    sync.Mutex
	peaks map[int]int64         // provider pid -> highest VmHWM seen (KiB)
	cpu   map[int]time.Duration // provider pid -> CPU time at the last sample
}

func newRSSSampler(root int) *rssSampler {
	return &rssSampler{root: root, peaks: map[int]int64{}, cpu: map[int]time.Duration{}}
}

func (s *rssSampler) sample() {
	for _, pid := range descendants(s.root) {
		if !isProvider(pid) {
			continue
		}
		hwm, ok := vmHWM(pid)
		if !ok {
			continue
		}
		cpu, cpuOK := cpuTime(pid)
		s.mu.Lock()
		if hwm > s.peaks[pid] {
			s.peaks[pid] = hwm
		}
		if cpuOK && cpu > s.cpu[pid] {
			s.cpu[pid] = cpu
		}
		s.mu.Unlock()
	}
}

func (s *rssSampler) peak() (int64, int, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var top int64
	for _, v := range s.peaks {
		top = max(top, v)
	}
	var cpu time.Duration
	for _, v := range s.cpu {
		cpu += v
	}
	return top, len(s.peaks), cpu
}

// clockTick is USER_HZ, the unit of the times in /proc/<pid>/stat (100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuTime is the process's user+system CPU time from /proc/<pid>/stat.
func cpuTime(pid int) (time.Duration, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// Fields after the command name (which may hold spaces) start at state, field 3.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * clockTick, true
}

// descendants lists the processes below root, from /proc/<pid>/task/<tid>/children.
func descendants(root int) []int {
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
		for _, f := range tasks {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, field := range strings.Fields(string(data)) {
				if child, err := strconv.Atoi(field); err == nil {
					out = append(out, child)
					queue = append(queue, child)
				}
			}
		}
	}
	return out
}

func isProvider(pid int) bool {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), providerComm) {
		return false
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	return err != nil || strings.HasPrefix(filepath.Base(exe), providerExe)
}

// vmHWM is the process's peak resident set size in KiB.
func vmHWM(pid int) (int64, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			v, err := strconv.ParseInt(f[0], 10, 64)
			return v, err == nil
		}
	}
	return 0, false
}
