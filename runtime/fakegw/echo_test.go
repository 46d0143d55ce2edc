package fakegw_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

type echoKind string

type echoReq struct {
	Name    string
	Speed   core.Opt[float64]
	Unset   core.Opt[string]
	Kind    echoKind
	Count   int
	Tags    []string
	private string
}

type echoResp struct {
	Name  string
	Speed float64
	Unset string
	Kind  echoKind
	Count string // type differs: left alone
	Tags  []string
	Extra int
}

func TestEcho(t *testing.T) {
	req := &echoReq{Name: "n", Speed: core.Of(1.5), Kind: "k", Count: 3, Tags: []string{"a"}, private: "p"}
	resp := &echoResp{Unset: "kept", Count: "kept", Extra: 7}
	fakegw.Echo(req, resp)
	assert.Equal(t, &echoResp{Name: "n", Speed: 1.5, Unset: "kept", Kind: "k", Count: "kept", Tags: []string{"a"}, Extra: 7}, resp)
}

func TestEchoIgnoresNonStructs(t *testing.T) {
	resp := &echoResp{Name: "x"}
	assert.NotPanics(t, func() {
		fakegw.Echo(nil, resp)
		fakegw.Echo(&echoReq{Name: "y"}, nil)
		fakegw.Echo(echoReq{Name: "y"}, resp)
		fakegw.Echo(&echoReq{Name: "y"}, echoResp{})
		var np *echoReq
		fakegw.Echo(np, resp)
		s := "str"
		fakegw.Echo(&s, resp)
	})
	assert.Equal(t, "x", resp.Name)
}
