package stripetest

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill stripe-mock if the test binary dies without cleaning up,
// e.g. when `go test -timeout` aborts it.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
