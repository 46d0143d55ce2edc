//go:build !unix

package main

// lockDir is a no-op where flock is not available: concurrent runs into one
// directory are then the caller's to serialise.
func lockDir(string) (func(), error) { return func() {}, nil }
