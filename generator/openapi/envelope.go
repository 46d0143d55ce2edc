package openapi

import "github.com/ivhgen/ivhgen/generator/model"

func requestHeader() obj {
	return obj{"type": "object", "description": "Request header; the gateway requires the key even when empty.",
		"properties": obj{"RequestID": obj{"type": "string", "description": "Optional id echoed in the response."}}}
}

func responseHeader() obj {
	return obj{"type": "object", "required": []any{"Code"},
		"description": "Response header; Code 0 is success, any other value an error (see x-ivh-codes).",
		"properties": obj{
			"Code":      obj{"type": "integer"},
			"Message":   obj{"type": "string"},
			"RequestID": obj{"type": "string"},
			"SessionID": obj{"type": "string"},
			"DialogID":  obj{"type": "string"},
		}}
}

// signedQuery are the query parameters every call is signed with.
func signedQuery() obj {
	q := func(name, desc string) obj {
		return obj{"name": name, "in": "query", "required": true, "schema": obj{"type": "string"}, "description": desc}
	}
	return obj{
		"appkey":    q("appkey", "The project's AppKey."),
		"timestamp": q("timestamp", "Unix time in seconds; the gateway accepts about 5 minutes of skew."),
		"signature": q("signature", "Base64 HMAC-SHA256, keyed by the access token, of the other query parameters sorted by key and joined as k=v&k=v."),
	}
}

func envelope(header string, payload obj, required ...any) obj {
	return obj{"type": "object", "required": required,
		"properties": obj{"Header": ref(header), "Payload": payload}}
}

func jsonContent(schema obj) obj {
	return obj{"application/json": obj{"schema": schema}}
}

func operation(a *model.API) obj {
	op := obj{
		"operationId": a.Name,
		"tags":        []any{a.Service.Name},
		"description": a.Doc,
		"parameters": []any{
			obj{"$ref": "#/components/parameters/appkey"},
			obj{"$ref": "#/components/parameters/timestamp"},
			obj{"$ref": "#/components/parameters/signature"},
		},
		"requestBody": obj{"required": true, "content": jsonContent(envelope(reqHeader, ref(a.Request.GoIdent.GoName), "Header", "Payload"))},
		"responses": obj{"200": obj{
			"description": "The envelope; Header.Code tells success from error.",
			"content":     jsonContent(envelope(respHeader, ref(a.Response.GoIdent.GoName), "Header")),
		}},
		"x-ivh-idempotent": a.Idempotent,
	}
	if a.Deprecated {
		op["deprecated"] = true
	}
	if a.ReplacedBy != nil {
		op["x-ivh-replaced-by"] = a.ReplacedBy.Name
	}
	if w := a.Async; w != nil {
		op["x-ivh-async"] = obj{"poll": w.Poll.Name, "id": w.ID.Wire, "pollId": w.PollID.Wire,
			"status": w.Status.Wire, "success": literalValues(w.Success), "failure": literalValues(w.Failure)}
		if len(w.FakePath) > 0 {
			op["x-ivh-async"].(obj)["fakePath"] = literalValues(w.FakePath)
		}
	}
	if p := a.Paging; p != nil {
		paging := obj{"index": p.Index.Wire, "size": p.Size.Wire, "total": p.Total.Wire, "items": p.Items.Wire}
		if len(p.CreatedBy) > 0 {
			by := make([]any, len(p.CreatedBy))
			for i, c := range p.CreatedBy {
				by[i] = c.Name
			}
			paging["createdBy"] = by
		}
		op["x-ivh-paging"] = paging
	}
	return op
}

func literalValues(ls []model.Literal) []any {
	out := make([]any, len(ls))
	for i, l := range ls {
		if l.Value.IsInt {
			out[i] = l.Value.Int
		} else {
			out[i] = l.Value.Str
		}
	}
	return out
}

func webhook(c *model.Callback) obj {
	return obj{
		"operationId": c.Name,
		"description": c.Doc,
		"requestBody": obj{"required": true, "content": jsonContent(obj{"type": "object", "required": []any{"Payload"},
			"properties": obj{"Payload": ref(c.Body.GoIdent.GoName)}})},
		"responses": obj{"200": obj{"description": "Received."}},
	}
}

func codes(pkg *model.Package) []any {
	var out []any
	for _, t := range pkg.CodeTables {
		kind := "api"
		if t.Task {
			kind = "task"
		}
		for _, c := range t.Codes {
			out = append(out, obj{"table": t.Name, "kind": kind, "code": c.Value, "name": c.Name,
				"category": c.Category, "description": c.Doc})
		}
	}
	return out
}
