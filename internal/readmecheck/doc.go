// Package readmecheck holds the test that compiles and vets the Go
// snippets of the README, so that they cannot rot.
package readmecheck
