package channel_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

// Drive a session with text and audio against the fake endpoint.
func Example() {
	fake := channeltest.NewHandler("my_appkey", "my_token")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	defer fake.Close()

	ctx := context.Background()
	conn, err := channel.Dial(ctx, channel.Config{
		BaseURL: srv.URL, AppKey: "my_appkey", AccessToken: "my_token", SessionID: "session-1",
		SessionAlive: func(context.Context) (bool, error) { return true, nil },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()

	conn.SendText(ctx, "Hello!")
	conn.SendAudio(ctx, strings.NewReader(strings.Repeat("\x00", 6000)), channel.AudioOptions{})
	n := 0
	for m, err := range conn.Messages(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		d, _ := m.Downstream()
		fmt.Println(m.Type, d.SpeakStatus, d.FinalType)
		if n++; n == 4 {
			break
		}
	}
	// Output:
	// 3 TextStart 0
	// 3 TextOver 0
	// 3 AudioStart 0
	// 3 AudioOver 1
}
