// Package consumer shows ivhgen used from another repository: it owns its
// descriptors (spec/), generates its client into apaas/ with go generate,
// and tests against the generated fake gateway (apaas/apaastest).
package consumer

import (
	"context"
	"fmt"

	"example.com/consumer/apaas"
)

// Welcome greets a visitor and renders the greeting as a video, waiting
// until it is produced; it returns the video's URL.
func Welcome(ctx context.Context, c *apaas.Client, visitor string, opts ...apaas.WaitOption) (string, error) {
	g, err := c.Greeting.Greet(ctx, &apaas.GreetRequest{VisitorName: visitor})
	if err != nil {
		return "", fmt.Errorf("greeting %s: %w", visitor, err)
	}
	req := &apaas.VideoMakeRequest{VirtualmanKey: "host", InputSSML: g.Text}
	made, err := c.Video.VideoMake(ctx, req)
	if err != nil {
		return "", err
	}
	done, err := c.Video.WaitVideoMake(ctx, req, made, opts...)
	if err != nil {
		return "", err
	}
	return done.MediaURL, nil
}
