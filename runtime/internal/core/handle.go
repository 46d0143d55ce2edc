package core

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// TaskHandleVersion is the version of the TaskHandle text form this runtime
// writes; it reads only this version.
const TaskHandleVersion = 1

// TaskHandle names a started task so that another process can wait on it
// without the original request: the create API, the task (or session) id and
// the Header.RequestID of the create call, which is what support needs when
// the outcome is in doubt. Its text form ("v1:VideoMake:<id>:<request id>")
// is what MarshalText writes, so it can be stored in JSON, a database or a
// file; the generated Wait<API>Handle methods wait from it.
type TaskHandle struct {
	V         int    // format version, TaskHandleVersion
	API       string // the create API, e.g. VideoMake
	TaskID    string // the id the create call returned, as text
	RequestID string // Header.RequestID of the create call; may be empty
}

// NewTaskHandle returns the handle of task id started by api; id is printed
// with fmt.Sprint, so integer ids work too.
func NewTaskHandle(api string, id any, requestID string) TaskHandle {
	return TaskHandle{V: TaskHandleVersion, API: api, TaskID: fmt.Sprint(id), RequestID: requestID}
}

// String returns the text form.
func (h TaskHandle) String() string {
	parts := []string{"v" + strconv.Itoa(h.V), h.API, url.QueryEscape(h.TaskID), url.QueryEscape(h.RequestID)}
	return strings.Join(parts, ":")
}

// MarshalText returns the text form; a handle without API or task id is an
// error, since nothing could wait on it.
func (h TaskHandle) MarshalText() ([]byte, error) {
	if h.API == "" || h.TaskID == "" {
		return nil, errors.New("apaas: task handle needs an API and a task id")
	}
	return []byte(h.String()), nil
}

// UnmarshalText reads the text form; another version is an error naming it.
func (h *TaskHandle) UnmarshalText(b []byte) error {
	p, err := ParseTaskHandle(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseTaskHandle reads the text form written by String.
func ParseTaskHandle(s string) (TaskHandle, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 || parts[0] != "v"+strconv.Itoa(TaskHandleVersion) {
		return TaskHandle{}, fmt.Errorf("apaas: task handle %q is not of version %d (want v%d:API:ID:REQUESTID)", s, TaskHandleVersion, TaskHandleVersion)
	}
	id, err1 := url.QueryUnescape(parts[2])
	rid, err2 := url.QueryUnescape(parts[3])
	if err := errors.Join(err1, err2); err != nil || parts[1] == "" || id == "" {
		return TaskHandle{}, fmt.Errorf("apaas: task handle %q is malformed", s)
	}
	return TaskHandle{V: TaskHandleVersion, API: parts[1], TaskID: id, RequestID: rid}, nil
}

// HandleID checks that h is a current handle of api and returns its task id
// converted to the poll request's id type T (a string or integer kind).
func HandleID[T any](h TaskHandle, api string) (T, error) {
	var id T
	if h.V != TaskHandleVersion || h.API != api || h.TaskID == "" {
		return id, fmt.Errorf("apaas Wait%sHandle: handle %s is not a v%d handle of %s", api, h, TaskHandleVersion, api)
	}
	v := reflect.ValueOf(&id).Elem()
	switch v.Kind() {
	case reflect.String:
		v.SetString(h.TaskID)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, err := strconv.ParseInt(h.TaskID, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return id, fmt.Errorf("apaas Wait%sHandle: task id %q is not an integer", api, h.TaskID)
		}
		v.SetInt(n)
	default:
		return id, fmt.Errorf("apaas Wait%sHandle: cannot hold an id of type %T", api, id)
	}
	return id, nil
}
