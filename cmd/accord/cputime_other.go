//go:build !unix

package main

import "time"

// processCPU is 0 where the system has no getrusage: the CPU column then says "-".
func processCPU() time.Duration { return 0 }
