package ivhcli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxPayload bounds a payload read from a file or standard input.
const maxPayload = 16 << 20

// readRequest decodes the payload into a new request of API name,
// strictly, and validates it. A paged walk (-all) is validated per page
// by the calls instead, once the pager has set the page index.
func readRequest(env *Env, data, name string, newRequest func() any, paged bool) (any, error) {
	raw, err := payload(env, data)
	if err != nil {
		return nil, err
	}
	req := newRequest()
	if err := decodeStrict(raw, req); err != nil {
		return nil, fail(ExitUsage, "%s payload: %v", name, err)
	}
	if v, ok := req.(interface{ Validate() error }); ok && !paged {
		if err := v.Validate(); err != nil {
			return nil, fail(ExitUsage, "%v", err)
		}
	}
	return req, nil
}

// payload returns the request JSON: -d, -d @file, or standard input.
func payload(env *Env, data string) ([]byte, error) {
	switch {
	case strings.HasPrefix(data, "@"):
		f, err := os.Open(data[1:])
		if err != nil {
			return nil, fail(ExitUsage, "reading the payload: %v", err)
		}
		defer f.Close()
		return readAll(f)
	case data != "":
		return []byte(data), nil
	case env.TTYIn || env.Stdin == nil:
		return []byte("{}"), nil
	}
	return readAll(env.Stdin)
}

func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPayload+1))
	if err != nil {
		return nil, fail(ExitUsage, "reading the payload: %v", err)
	}
	if len(b) > maxPayload {
		return nil, fail(ExitUsage, "payload larger than %d bytes", maxPayload)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte("{}"), nil
	}
	return b, nil
}

// decodeStrict decodes one JSON object into v: unknown fields and trailing
// data are errors.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explain(err)
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// explain rewords the decoder's errors to name the field.
func explain(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("field %s: want %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &typeErr):
		return fmt.Errorf("want a JSON object, got %s", typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid JSON at byte %d: %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF):
		return errors.New("empty payload")
	}
	return err
}
