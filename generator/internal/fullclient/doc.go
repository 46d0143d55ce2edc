// Package fullclient is the golden output of generator/testdata/fullclient,
// kept as a package of the module so that it is compiled, vetted and called
// through httptest by client_test.go. Regenerate it with
// `go test ./generator -update`.
package fullclient
