package jobs

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
)

// DownloadTo fetches rawURL into dir as <id><ext>, ext taken from the URL's
// path, and returns the file's path. See DownloadFile.
func DownloadTo(ctx context.Context, hc *http.Client, rawURL, dir, id string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || rawURL == "" {
		return "", fmt.Errorf("no result URL to download (%q)", rawURL)
	}
	dst := filepath.Join(dir, id+path.Ext(u.Path))
	return dst, DownloadFile(ctx, hc, rawURL, dst)
}

// DownloadFile fetches rawURL into dst atomically: the body goes to a
// temporary file beside dst, is checked against Content-Length, synced,
// and only then renamed over dst. A crash or a short body leaves no
// partial dst. A nil hc means http.DefaultClient.
func DownloadFile(ctx context.Context, hc *http.Client, rawURL, dst string) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET result: HTTP %d", resp.StatusCode)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename it names nothing
	n, err := io.Copy(tmp, resp.Body)
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("short body: got %d of %d bytes", n, resp.ContentLength)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// removeParts deletes the temporary files of downloads a crash cut short;
// the journal's lock makes this run their only owner.
func removeParts(dir string) {
	if dir == "" {
		return
	}
	parts, _ := filepath.Glob(filepath.Join(dir, ".*.part-*"))
	for _, p := range parts {
		os.Remove(p)
	}
}
