//go:build unix

package main

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive advisory lock on dir itself (no lock file is
// left behind) and returns its release.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
