//go:build unix

package generator_test

import (
	"syscall"
	"time"
)

// cpuTime is the user+system CPU time of this process so far. Benchmarks
// report it beside wall time because the shared 2-core machine makes wall
// time swing with other load, while CPU time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
