//go:build !unix

package workflow_test

import "time"

// cpuTime is not measured here; the benchmark's cpu-µs/appeal then reads 0.
func cpuTime() time.Duration { return 0 }
