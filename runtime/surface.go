package runtime

// This file is the contract between the runtime and generated code. The
// runtime issue owns the implementation behind it; signatures here are what
// the generator emits calls to. Extend, but do not break, without bumping
// SupportsGeneratedV1.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Operation is the static description of one API that generated code hands
// to Do. Generated packages declare one package-level *Operation per API.
type Operation struct {
	Name       string // Go method name, e.g. "VideoMake"
	Service    string // service group, e.g. "Video"
	Path       string // wire path, e.g. "/v2/ivh/videomaker/broadcastservice/videomake"
	Method     string // HTTP method; "" means POST
	Idempotent bool   // safe to retry after an ambiguous failure
}

// Validator is implemented by generated request types.
type Validator interface{ Validate() error }

// Category classifies an aPaaS code for error handling and retries.
type Category string

// The categories a code table may assign.
const (
	CategoryAuth            Category = "auth"
	CategoryRateLimit       Category = "rate-limit"
	CategoryQuota           Category = "quota"
	CategoryInvalidArgument Category = "invalid-argument"
	CategoryNotFound        Category = "not-found"
	CategoryInternal        Category = "internal"
	CategoryRetryable       Category = "retryable"
)

// Code is an aPaaS result code. Generated packages declare documented codes
// as Code constants; errors.Is(err, code) matches an *APIError or a task
// failure carrying that code.
type Code int

func (c Code) Error() string { return "apaas code " + strconv.Itoa(int(c)) }

// CodeInfo describes one documented code; generated packages pass their
// tables to the client with WithCodes.
type CodeInfo struct {
	Code     Code
	Name     string
	Category Category
	Message  string
}

// Client carries credentials, endpoint and policy. Generated clients embed
// one; users create it through the generated NewClient.
type Client struct {
	appKey   string
	token    Secret
	baseURL  string
	http     *http.Client
	now      func() time.Time
	validate bool
	codes    map[Code]CodeInfo
}

// Secret holds a credential and never prints it.
type Secret struct{ v string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{v: s} }

// String returns "[REDACTED]".
func (Secret) String() string { return "[REDACTED]" }

// Option configures a Client.
type Option func(*Client) error

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	requestID    string
	skipValidate bool
}

// International and Mainland are the two aPaaS gateways.
const (
	International = "https://gw-sg.tvs.qq.com"
	Mainland      = "https://gw.tvs.qq.com"
)

// WithBaseURL sets the gateway base URL (default International).
func WithBaseURL(u string) Option {
	return func(c *Client) error { c.baseURL = strings.TrimRight(u, "/"); return nil }
}

// WithHTTPClient sets the HTTP client.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error { c.http = h; return nil }
}

// WithCodes adds documented codes to the client's code table.
func WithCodes(codes []CodeInfo) Option {
	return func(c *Client) error {
		for _, ci := range codes {
			c.codes[ci.Code] = ci
		}
		return nil
	}
}

// WithoutValidation turns off request validation before sending.
func WithoutValidation() Option {
	return func(c *Client) error { c.validate = false; return nil }
}

// WithRequestID sets the Header.RequestID of one call.
func WithRequestID(id string) CallOption { return func(cc *callConfig) { cc.requestID = id } }

// SkipValidation turns off request validation for one call.
func SkipValidation() CallOption { return func(cc *callConfig) { cc.skipValidate = true } }

// NewClient returns a client for appKey and accessToken.
func NewClient(appKey, accessToken string, opts ...Option) (*Client, error) {
	c := &Client{appKey: appKey, token: NewSecret(accessToken), baseURL: International,
		http: &http.Client{}, now: time.Now, validate: true, codes: map[Code]CodeInfo{}}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if appKey == "" || accessToken == "" {
		return nil, fmt.Errorf("runtime: appKey and accessToken are required")
	}
	return c, nil
}

// APIError is a response whose Header.Code is not 0.
type APIError struct {
	Op         string
	Code       int
	Message    string
	RequestID  string
	HTTPStatus int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("apaas %s: code=%d message=%s request_id=%s", e.Op, e.Code, e.Message, e.RequestID)
}

// Is matches a Code equal to e.Code.
func (e *APIError) Is(target error) bool {
	c, ok := target.(Code)
	return ok && int(c) == e.Code
}

// Do sends one call of op with req as the Payload and decodes the response
// Payload into a new Resp. Generated methods call it exactly once.
func Do[Req, Resp any](ctx context.Context, c *Client, op *Operation, req *Req, opts ...CallOption) (*Resp, error) {
	var cc callConfig
	for _, o := range opts {
		o(&cc)
	}
	if v, ok := any(req).(Validator); ok && c.validate && !cc.skipValidate {
		if err := v.Validate(); err != nil {
			if ve, ok := err.(*ValidationError); ok {
				ve.Op = op.Name
			}
			return nil, err
		}
	}
	body, err := json.Marshal(struct {
		Header  map[string]string `json:"Header"`
		Payload *Req              `json:"Payload"`
	}{map[string]string{"RequestID": cc.requestID}, req})
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(c.now().Unix(), 10)
	q := url.Values{"appkey": {c.appKey}, "timestamp": {ts}}
	q.Set("signature", Sign(c.token.v, q))
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+op.Path+"?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json;charset=utf-8")
	hresp, err := c.http.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer hresp.Body.Close()
	var env struct {
		Header struct {
			Code      int
			Message   string
			RequestID string
		}
		Payload json.RawMessage
	}
	if err := json.NewDecoder(hresp.Body).Decode(&env); err != nil {
		return nil, err
	}
	if env.Header.Code != 0 {
		return nil, &APIError{Op: op.Name, Code: env.Header.Code, Message: env.Header.Message, RequestID: env.Header.RequestID, HTTPStatus: hresp.StatusCode}
	}
	out := new(Resp)
	if len(env.Payload) > 0 && string(env.Payload) != "null" {
		if err := json.Unmarshal(env.Payload, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Sign returns the base64 signature of the query params q (signature
// excluded) under token.
func Sign(token string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + q.Get(k)
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(strings.Join(parts, "&")))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// TaskState is what a waiter's classifier says about one poll response.
type TaskState int

// The states a poll response can be in.
const (
	TaskPending TaskState = iota
	TaskSucceeded
	TaskFailed
)

// TaskFailedError is returned by a waiter when the task reached a failure
// value. errors.Is(err, code) matches FailCode.
type TaskFailedError struct {
	Op          string // the polling operation
	ID          string // task or session id
	Status      string // the failure value seen
	FailCode    int
	FailMessage string
}

func (e *TaskFailedError) Error() string {
	return fmt.Sprintf("apaas %s: task %s ended %s: fail_code=%d message=%s", e.Op, e.ID, e.Status, e.FailCode, e.FailMessage)
}

// Is matches a Code equal to e.FailCode.
func (e *TaskFailedError) Is(target error) bool {
	c, ok := target.(Code)
	return ok && int(c) == e.FailCode
}

// WaitOption configures a waiter.
type WaitOption func(*waitConfig)

type waitConfig struct {
	interval time.Duration
	progress func(any)
}

// WithPollInterval sets the first poll interval.
func WithPollInterval(d time.Duration) WaitOption { return func(w *waitConfig) { w.interval = d } }

// WithProgress calls f with every poll response.
func WithProgress[Resp any](f func(*Resp)) WaitOption {
	return func(w *waitConfig) { w.progress = func(r any) { f(r.(*Resp)) } }
}

// Wait polls until classify reports success or failure. On failure it returns
// the last response together with the error classify built.
func Wait[Resp any](ctx context.Context, poll func(context.Context) (*Resp, error), classify func(*Resp) (TaskState, error), opts ...WaitOption) (*Resp, error) {
	w := waitConfig{interval: 2 * time.Second}
	for _, o := range opts {
		o(&w)
	}
	for {
		r, err := poll(ctx)
		if err != nil {
			return nil, err
		}
		if w.progress != nil {
			w.progress(r)
		}
		switch st, ferr := classify(r); st {
		case TaskSucceeded:
			return r, nil
		case TaskFailed:
			return r, ferr
		}
		t := time.NewTimer(w.interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Page is one page returned by a paged API.
type Page[Item any] struct {
	Items []Item
	Total int
}

// Pages walks every page from index 1 with the given size. It stops after
// the last item counted by Total, on an empty page, or with an error when
// the server's Total shrinks below what was already yielded.
func Pages[Item any](ctx context.Context, size int, fetch func(ctx context.Context, index, size int) (Page[Item], error)) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		seen := 0
		for index := 1; ; index++ {
			p, err := fetch(ctx, index, size)
			if err != nil {
				var zero Item
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			seen += len(p.Items)
			if len(p.Items) == 0 || seen >= p.Total {
				return
			}
		}
	}
}

// CallbackHandler returns an http.Handler that decodes a {"Payload": T}
// callback body and passes it to f. f's error becomes a 500.
func CallbackHandler[T any](f func(context.Context, *T) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var env struct{ Payload T }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&env); err != nil {
			http.Error(w, "bad callback body", http.StatusBadRequest)
			return
		}
		if err := f(r.Context(), &env.Payload); err != nil {
			http.Error(w, "callback failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
