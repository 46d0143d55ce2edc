package descriptor

import "gopkg.in/yaml.v3"

var apiKeys = []string{"name", "path", "method", "doc", "idempotent", "deprecated", "replacedBy", "provenance",
	"request", "response", "async", "paging"}

func (d *decoder) api(n *yaml.Node) *API {
	a := &API{Pos: d.pos(n)}
	seen := d.mapping(n, "an api", apiKeys, func(key string, v *yaml.Node) {
		switch key {
		case "name":
			a.Name = d.str(v, "name")
		case "path":
			a.Path = d.path(v, "path")
		case "method":
			a.Method = d.oneOf(v, "method", "GET", "POST", "PUT", "PATCH", "DELETE")
		case "doc":
			a.Doc = d.text(v, "doc")
		case "idempotent":
			a.Idempotent = d.boolean(v, "idempotent")
		case "deprecated":
			d.deprecated(a, v)
		case "replacedBy":
			a.ReplacedBy = d.str(v, "replacedBy")
		case "provenance":
			a.Provenance = d.provenance(v)
		case "request":
			a.Request = d.body(v, "request")
		case "response":
			a.Response = d.body(v, "response")
		case "async":
			a.Async = d.async(v)
		case "paging":
			a.Paging = d.paging(v)
		}
	})
	d.require(n, label("api", a.Name.Value), seen, "name", "path", "doc", "idempotent")
	return a
}

// deprecated accepts true, false or a note (which implies true).
func (d *decoder) deprecated(a *API, v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
		a.Deprecated = d.boolean(v, "deprecated")
		return
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
		a.DeprecatedNote = d.text(v, "deprecated")
		a.Deprecated = Bool{Value: true, Pos: d.pos(v)}
		return
	}
	d.errorf(v, "deprecated must be true, false or a note, not %s", kindName(v))
}

func (d *decoder) body(n *yaml.Node, what string) *Body {
	b := &Body{Pos: d.pos(n)}
	seen := d.mapping(n, what, bodyKeys, func(key string, v *yaml.Node) {
		if key == "constraints" {
			b.Constraints = d.constraints(v)
			return
		}
		b.Fields = d.fields(v)
	})
	d.require(n, what, seen, "fields")
	return b
}

var asyncKeys = []string{"poll", "id", "pollId", "status", "success", "failure", "failCode", "failMessage", "progress", "queue", "pollFields", "fakePath"}

func (d *decoder) async(n *yaml.Node) *Async {
	a := &Async{Pos: d.pos(n)}
	seen := d.mapping(n, "async", asyncKeys, func(key string, v *yaml.Node) {
		switch key {
		case "poll":
			a.Poll = d.str(v, "poll")
		case "id":
			a.ID = d.str(v, "id")
		case "pollId":
			a.PollID = d.str(v, "pollId")
		case "status":
			a.Status = d.str(v, "status")
		case "success":
			d.nonEmptyList(v, "success", func(it *yaml.Node) { a.Success = append(a.Success, d.scalar(it, "a success value")) })
		case "failure":
			d.nonEmptyList(v, "failure", func(it *yaml.Node) { a.Failure = append(a.Failure, d.scalar(it, "a failure value")) })
		case "failCode":
			a.FailCode = d.str(v, "failCode")
		case "failMessage":
			a.FailMessage = d.str(v, "failMessage")
		case "progress":
			a.Progress = d.str(v, "progress")
		case "queue":
			a.Queue = d.str(v, "queue")
		case "pollFields":
			d.list(v, "pollFields", func(it *yaml.Node) { a.PollFields = append(a.PollFields, d.str(it, "a poll field")) })
		case "fakePath":
			a.FakePathPos = d.pos(v)
			d.nonEmptyList(v, "fakePath", func(it *yaml.Node) { a.FakePath = append(a.FakePath, d.scalar(it, "a fakePath value")) })
		}
	})
	d.require(n, "async", seen, "poll", "id", "status", "success", "failure")
	return a
}

var pagingKeys = []string{"index", "size", "total", "items", "createdBy"}

func (d *decoder) paging(n *yaml.Node) *Paging {
	p := &Paging{Pos: d.pos(n)}
	seen := d.mapping(n, "paging", pagingKeys, func(key string, v *yaml.Node) {
		if key == "createdBy" {
			d.nonEmptyList(v, "createdBy", func(it *yaml.Node) { p.CreatedBy = append(p.CreatedBy, d.str(it, "a createdBy api")) })
			return
		}
		s := d.str(v, key)
		switch key {
		case "index":
			p.Index = s
		case "size":
			p.Size = s
		case "total":
			p.Total = s
		case "items":
			p.Items = s
		}
	})
	d.require(n, "paging", seen, "index", "size", "total", "items")
	return p
}

var categories = []string{"auth", "rate-limit", "quota", "invalid-argument", "not-found", "conflict", "internal", "retryable"}

func (d *decoder) errorTable(n *yaml.Node) *ErrorTable {
	t := &ErrorTable{Pos: d.pos(n)}
	seen := d.mapping(n, "an error table", []string{"table", "kind", "doc", "codes"}, func(key string, v *yaml.Node) {
		switch key {
		case "table":
			t.Table = d.str(v, "table")
		case "kind":
			t.Kind = d.oneOf(v, "kind", "api", "task")
		case "doc":
			t.Doc = d.text(v, "doc")
		case "codes":
			d.nonEmptyList(v, "codes", func(it *yaml.Node) { t.Codes = append(t.Codes, d.code(it)) })
		}
	})
	d.require(n, label("error table", t.Table.Value), seen, "table", "kind", "codes")
	return t
}

func (d *decoder) code(n *yaml.Node) *Code {
	c := &Code{Pos: d.pos(n)}
	seen := d.mapping(n, "a code", []string{"code", "name", "category", "doc"}, func(key string, v *yaml.Node) {
		switch key {
		case "code":
			c.Code = d.integer(v, "code")
			if c.Code.Set() && (c.Code.Value > 1<<31-1 || c.Code.Value < -1<<31) {
				d.errorf(v, "code %d does not fit in 32 bits", c.Code.Value)
			}
		case "name":
			c.Name = d.str(v, "name")
		case "category":
			c.Category = d.oneOf(v, "category", categories...)
		case "doc":
			c.Doc = d.text(v, "doc")
		}
	})
	d.require(n, label("code", c.Name.Value), seen, "code", "name", "category", "doc")
	return c
}

func (d *decoder) callback(n *yaml.Node) *Callback {
	c := &Callback{Pos: d.pos(n)}
	seen := d.mapping(n, "a callback", callbackKeys, func(key string, v *yaml.Node) {
		switch key {
		case "body":
			c.Body = d.oneOf(v, "body", "payload", "flat")
		case "signature":
			c.Signature = d.callbackSignature(v)
		case "name":
			c.Name = d.str(v, "name")
		case "doc":
			c.Doc = d.text(v, "doc")
		case "fields":
			c.Fields = d.fields(v)
		}
	})
	d.require(n, label("callback", c.Name.Value), seen, "name", "doc", "fields")
	return c
}
