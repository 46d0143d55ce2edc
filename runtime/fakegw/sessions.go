package fakegw

import "encoding/json"

// FillSession sets the fields of resp, a pointer to a session API's typed
// response, that carry the state of sess, matched by their JSON names
// (SessionId, SessionStatus, PlayStreamAddr, IsSessionStarted, ErrorCode,
// ErrorMessage); fields resp lacks are left alone. A non-nil err, from the
// SessionStore call that produced sess, is returned as it is. Generated
// fakes answer the session APIs from a SessionStore with it.
func FillSession(resp any, sess Session, err error) error {
	if err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{
		"SessionId": sess.ID, "SessionStatus": sess.Status, "PlayStreamAddr": sess.PlayStreamAddr,
		"IsSessionStarted": sess.Started, "ErrorCode": sess.ErrorCode, "ErrorMessage": sess.ErrorMessage,
	})
	if err != nil {
		return err
	}
	return json.Unmarshal(b, resp)
}
