package ivhcli

import (
	"encoding/json"
	"strings"
)

// reportStarted writes the create response of a -wait call to stderr, on
// one line, so that stdout holds one JSON document: the last poll
// response (ivh -wait VideoMake ... | jq -r .MediaUrl).
func reportStarted(env *Env, name string, resp any) {
	b, err := json.Marshal(resp)
	if err != nil {
		return
	}
	env.Printf("%s: started %s", name, b)
}

// openSession returns the SessionId of a create response, or "".
func openSession(resp any) string {
	b, err := json.Marshal(resp)
	if err != nil {
		return ""
	}
	var v struct{ SessionId string } // the wire name
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return v.SessionId
}

// warnOpenSession says on stderr, loudly, that a session a -wait call
// created stays open, and so billed, until it is closed, and how to close
// it: ivh exits, the session does not.
func warnOpenSession(env *Env, resp any, fake bool) {
	id := openSession(resp)
	if id == "" || fake {
		return
	}
	env.Printf("WARNING: session %s is OPEN and billed until it is closed or times out; close it with:", id)
	env.Printf("  %s CloseSession -d '{\"SessionId\":%q}'", env.Name, strings.ReplaceAll(id, "'", ""))
}
