package ivh_test

import (
	"context"
	"fmt"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// RunSession against the typed fake gateway: the session is created,
// waited for, started, driven over the command channel and closed.
func ExampleSessionClient_RunSession() {
	srv, err := ivhtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	store := fakegw.NewSessionStore("demo-", 0)
	defer srv.ServeCommandChannel(store).Close()
	c := srv.Client()

	in := &ivh.CreateSessionRequest{VirtualmanProjectID: "project", UserID: "user",
		Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText}
	err = c.Session.RunSession(context.Background(), in, func(ctx context.Context, s *ivh.CommandChannelSession) error {
		fmt.Println("play:", s.Ready.PlayStreamAddr)
		id, err := s.Channel.SendText(ctx, &ivh.SendTextData{Text: ivh.Of("Hello!")})
		if err != nil {
			return err
		}
		for m, err := range s.Channel.Messages(ctx) {
			if err != nil {
				return err
			}
			if m.ReqID == id && m.SpeakStatus != nil {
				fmt.Println("status:", m.SpeakStatus.SpeakStatus)
				if m.SpeakStatus.SpeakStatus == ivh.SpeakStatusTextOver {
					return nil
				}
			}
		}
		return nil
	})
	s, _ := store.Get("demo-000001")
	fmt.Println("error:", err, "closed:", s.Status == fakegw.SessionClosed)
	// Output:
	// play: rtmp://fakegw.invalid/live/demo-000001
	// status: TextStart
	// status: TextOver
	// error: <nil> closed: true
}
