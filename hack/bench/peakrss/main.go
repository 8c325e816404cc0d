// Command peakrss runs a command and writes its peak resident set size in KiB to file descriptor
// 3. It exists because the benchmark cannot read the peak of its own children: Go starts them
// with vfork, and Linux charges the parent's memory high-water mark, taken at exec, to the
// child's rusage. This program is small, so the floor it adds to every reading is small too
// (measure it with `peakrss /bin/true`).
//
//	peakrss COMMAND [ARG...] 3>FILE
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss COMMAND [ARG...] 3>FILE")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if ru, ok := usage(cmd.ProcessState); ok {
		report := os.NewFile(3, "report")
		fmt.Fprintln(report, ru.Maxrss)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(1)
	}
}

func usage(ps *os.ProcessState) (*syscall.Rusage, bool) {
	if ps == nil {
		return nil, false
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	return ru, ok
}
