// Package core is the implementation under every ivhgen-generated client:
// it signs requests, wraps them in the aPaaS envelope, retries what is safe
// to retry, corrects clock skew and turns failures into typed errors.
//
// Nothing imports core directly but the packages under runtime/. Its
// exported identifiers reach users through package ivhrt and generated code
// through package ivhimpl, both written by runtime/internal/facadegen from
// the audience lists there. Keep every method of Client a user method: a
// type alias exposes all of them.
//
// The package must not import runtime/channel or any WebSocket library, so
// that a program making only HTTP calls does not link one.
package core
