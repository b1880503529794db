//go:build !unix

package similar

import "time"

// cpuTime is not measured here; the benchmarks' cpu metrics then read 0.
func cpuTime() time.Duration { return 0 }
