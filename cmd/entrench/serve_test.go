package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while the command writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startServe runs "entrench serve" with args until the returned stop is
// called, and returns the URL it prints.
func startServe(t *testing.T, args ...string) (url string, stderr *lockedBuffer, stop func() int) {
	t.Helper()
	var out lockedBuffer
	stderr = &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() { code <- execute(ctx, append([]string{"serve"}, args...), &out, stderr) }()
	re := regexp.MustCompile(`open (http://\S+/)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case c := <-code:
			cancel()
			t.Fatalf("serve exited %d: %s", c, stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("serve printed no URL: %q", out.String())
	}
	return url, stderr, func() int {
		cancel()
		select {
		case c := <-code:
			if !strings.Contains(out.String(), "stopped") {
				t.Errorf("serve did not say it stopped: %q", out.String())
			}
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop after its context was cancelled")
			return -1
		}
	}
}

func TestServeStartsAndStops(t *testing.T) {
	url, stderr, stop := startServe(t, "--addr", "127.0.0.1:0", "--runs", "40", "--max-runs", "50")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="runs" min="10" max="50" step="1" value="40"`) {
		t.Errorf("GET %s: %d; the page does not show the flags' default 40 and cap 50", url, resp.StatusCode)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d, want 0: %s", code, stderr)
	}
	if strings.Contains(stderr.String(), "WARNING") {
		t.Errorf("warning on a loopback address: %s", stderr)
	}
}

func TestServeWarnsOffLoopback(t *testing.T) {
	url, stderr, stop := startServe(t, "--addr", "0.0.0.0:0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("printed URL %s, want one a browser here can open", url)
	}
	stop()
	if !strings.Contains(stderr.String(), "WARNING: 0.0.0.0:0 is not a loopback address") {
		t.Errorf("no warning on stderr: %q", stderr)
	}
}

func TestServeBadSettings(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "nonsense"}, "not host:port"},
		{[]string{"--runs", "3000"}, "default replicates must be from 10 to the cap 2000"},
		{[]string{"--runs", "5"}, "default replicates must be from 10 to the cap 2000"},
		{[]string{"--max-officials", "-1"}, "officials cap"},
		{[]string{"--max-work", "-1"}, "work cap"},
		{[]string{"--max-work", "2e9"}, "invalid argument"},
		{[]string{"--max-runs", "-5"}, "replicate cap"},
		{[]string{"--max-concurrent", "-1"}, "concurrent runs"},
		{[]string{"--max-body", "10"}, "body limit"},
		{[]string{"--workers", "-2"}, "workers"},
		{[]string{"extra-arg"}, "unknown command"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, append([]string{"serve"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("serve %v: exit %d %q; want %d with %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}

// TestServeWorkCap checks that --max-work (and ENTRENCH_MAX_WORK) reach
// the lab, and that a bad value in the environment is a usage error
// rather than a silent default.
func TestServeWorkCap(t *testing.T) {
	t.Setenv("ENTRENCH_MAX_WORK", "1e8")
	url, stderr, stop := startServe(t, "--addr", "127.0.0.1:0")
	resp, err := http.Get(url + "?scenario=baseline")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// 980 officials × 180 ticks × 2 a pair: 283 pairs fit in 1e8.
	if !strings.Contains(string(body), `name="runs" min="10" max="283" step="1" value="283"`) {
		t.Errorf("ENTRENCH_MAX_WORK=1e8: the page does not cap baseline at 283 pairs")
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}

	// --max-officials 900 refuses baseline's 980 officials.
	url, stderr, stop = startServe(t, "--addr", "127.0.0.1:0", "--max-officials", "900")
	resp, err = http.Get(url + "?scenario=baseline")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "980 officials in all is more than this lab allows (900)") {
		t.Errorf("baseline with --max-officials 900: %d", resp.StatusCode)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}

	for env, want := range map[string]string{
		"ENTRENCH_MAX_WORK":      "max-work (from --max-work, ENTRENCH_MAX_WORK or the config file) must be a whole number, got \"lots\"",
		"ENTRENCH_MAX_OFFICIALS": "max-officials (from --max-officials, ENTRENCH_MAX_OFFICIALS or the config file) must be a whole number, got \"lots\"",
	} {
		t.Run(env, func(t *testing.T) {
			t.Setenv("ENTRENCH_MAX_WORK", "")
			t.Setenv(env, "lots")
			code, _, stderr := run(t, "serve", "--addr", "127.0.0.1:0")
			if code != exitUsage || !strings.Contains(stderr, want) {
				t.Errorf("%s=lots: exit %d %q", env, code, stderr)
			}
		})
	}
}

// TestServePosterior checks that --posterior reaches the lab (its page
// names the file and its particles) and that a posterior that cannot be
// used stops serve before it listens, with a usage error naming the file.
func TestServePosterior(t *testing.T) {
	const good = "../../lab/testdata/posterior/posterior.csv"
	url, stderr, stop := startServe(t, "--addr", "127.0.0.1:0", "--posterior", good)
	resp, err := http.Get(url + "?scenario=tiny")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "runs one of the 5 particles of "+good) {
		t.Errorf("the page does not name the posterior")
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d: %s", code, stderr)
	}
	for file, want := range map[string]string{
		"../../lab/testdata/badposterior/posterior.csv": "particle 2 is not a valid setting",
		"../../lab/testdata/missing/posterior.csv":      "missing/posterior.csv",
	} {
		code, stdout, stderr := run(t, "serve", "--addr", "127.0.0.1:0", "--posterior", file)
		if code != exitUsage || !strings.Contains(stderr, want) || !strings.Contains(stderr, "posterior") || strings.Contains(stdout, "open http") {
			t.Errorf("serve --posterior %s: exit %d %q %q; want %d with %q", file, code, stdout, stderr, exitUsage, want)
		}
	}
}
