package lab

import (
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// chromiumPath is Debian's Chromium, which .ci/chromium-up.sh installs;
// ENTRENCH_CHROMIUM names another binary.
func chromiumPath(t *testing.T) string {
	p := os.Getenv("ENTRENCH_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		fmt.Fprintf(os.Stderr, "\n!!! CHROMIUM NOT AVAILABLE: %v; the policy lab's browser test is SKIPPED (run bash .ci/chromium-up.sh)\n\n", err)
		t.Skipf("CHROMIUM NOT AVAILABLE: %v; the browser test is skipped (install it with bash .ci/chromium-up.sh)", err)
	}
	return p
}

// artifactDir is where the browser test leaves its screenshot:
// $ENTRENCH_ARTIFACTS, else testout/ under the repository root.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("ENTRENCH_ARTIFACTS")
	if dir == "" {
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
			t.Fatalf("repository root not found above the lab package: %v", err)
		}
		dir = filepath.Join(root, "testout")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// labServer serves a lab on a free loopback port until the test ends.
func labServer(t *testing.T, cfg Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = ln.Addr().String()
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + cfg.Addr + "/"
}

// newBrowser starts headless Chromium for the test.
func newBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, // as root Chromium refuses to start without it
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// pageRow is a row of the page's summary table, from its data attributes.
type pageRow struct {
	Metric  string  `json:"metric"`
	MeanA   float64 `json:"a"`
	MeanB   float64 `json:"b"`
	Diff    float64 `json:"diff"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	N       int     `json:"n"`
	Class   string  `json:"cls"`
	Verdict string  `json:"verdict"`
}

const readRows = `Array.from(document.querySelectorAll('#summary tbody tr')).map(tr => ({
	metric: tr.dataset.metric, a: Number(tr.dataset.meanA), b: Number(tr.dataset.meanB),
	diff: Number(tr.dataset.diff), lo: Number(tr.dataset.ciLo), hi: Number(tr.dataset.ciHi),
	n: Number(tr.dataset.n), cls: tr.className, verdict: tr.querySelector('.badge').textContent}))`

// moveLever sets a slider as a drag would: value, then an input event.
func moveLever(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
			const r = document.getElementById(%q);
			r.value = %q;
			r.dispatchEvent(new Event('input', {bubbles: true}));
			return r.closest('.lever').className + ' ' + document.getElementById(%q + '-num').value;
		})()`, id, value, id)))
		if err != nil {
			return err
		}
		if !strings.Contains(got, "changed") || !strings.HasSuffix(got, " "+value) {
			return fmt.Errorf("moving %s to %s: lever is %q", id, value, got)
		}
		return nil
	})
}

// runAndWait clicks Run and waits until the cooperation difference figure
// has loaded, returning the time from click to figure.
func runAndWait(ctx context.Context, t *testing.T) time.Duration {
	t.Helper()
	// Forget any previous result so the wait below sees the new one.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById('result').textContent = ''; return true })()`)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run")), chromedp.WaitVisible(chromedp.ID("fig-cooperation-diff"))); err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status-text').textContent + ' ' + document.getElementById('errors').textContent`))
		t.Fatalf("waiting for the figure: %v (page says %q)", err, msg)
	}
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const i = document.getElementById('fig-cooperation-diff'); return i.complete && i.naturalWidth > 0 })()`))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBrowser drives the lab in headless Chromium as a student would:
// open the page, move the TAPI lever, run, read the table, save a
// screenshot, download the scenario and check that running it reproduces
// the page's numbers.
func TestBrowser(t *testing.T) {
	const runs = 100
	url := labServer(t, Config{StartRuns: runs})
	ctx := newBrowser(t, 90*time.Second)
	begin := time.Now()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.ID("run")),
		moveLever("lever-levers-tapi-stake-value", "0.8"),
		chromedp.SetValue(chromedp.ID("runs"), fmt.Sprint(runs)),
	); err != nil {
		t.Fatal(err)
	}
	took := runAndWait(ctx, t)
	t.Logf("click to figure, %d pairs of baseline runs: %v", runs, took.Round(time.Millisecond))

	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]pageRow](readRows))
	if err != nil {
		t.Fatal(err)
	}
	byMetric := map[string]pageRow{}
	for _, r := range rows {
		byMetric[r.Metric] = r
	}
	// More TAPI stake: higher final cooperation and entrenchment.
	for _, m := range []string{"final_cooperation", "final_entrenchment"} {
		r, ok := byMetric[m]
		switch {
		case !ok:
			t.Fatalf("table has no %s row; rows: %+v", m, rows)
		case r.N != runs:
			t.Errorf("%s: n = %d, want %d", m, r.N, runs)
		case !(r.Diff > 0 && r.Lo > 0 && r.Class == "up" && r.Verdict == "higher"):
			t.Errorf("%s: want a clearly positive effect of the TAPI stake, got %+v", m, r)
		}
	}
	headline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".headlines")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(headline, "Cooperation after 15 years: +") {
		t.Errorf("headline %q does not state the cooperation effect", headline)
	}

	// Grow the viewport to the whole page, so that the sticky Run bar sits
	// at the bottom of the picture rather than over the levers.
	height, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, height)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000)); err != nil {
		t.Fatal(err)
	}
	shotPath := filepath.Join(artifactDir(t), "lab-screenshot.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shotPath)
	fmt.Fprintf(os.Stderr, "lab browser test screenshot: %s\n", shotPath)

	// Download the run's scenario.
	dl := t.TempDir()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress) // subscribe before the click
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior:      browser.SetDownloadBehaviorBehaviorAllowAndName,
				DownloadPath:  dl,
				EventsEnabled: new(true),
			})
			return err
		}),
		chromedp.Click(chromedp.ID("download-run")),
	); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dl, ev.GUID)
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	// What `entrench run` does with the file: load, compile, batch.
	sc, err := scenarios.Load("baseline-lab.yaml", data, nil)
	if err != nil {
		t.Fatalf("the downloaded scenario does not load: %v\n%s", err, data)
	}
	if sc.Runs != runs || sc.Levers.TAPIStake.Value != 0.8 {
		t.Fatalf("downloaded scenario has runs %d, tapi_stake %v; want %d, 0.8", sc.Runs, sc.Levers.TAPIStake.Value, runs)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	agg := m.NewAggregate()
	if _, err := sim.Batch(context.Background(), m, sim.Options{Runs: sc.Runs}, agg); err != nil {
		t.Fatal(err)
	}
	compared := 0
	defer func() {
		if compared < 3 {
			t.Errorf("only %d metrics were defined in every pair: the reproduction check is too thin", compared)
		}
	}()
	for i, name := range sim.SummaryNames {
		r, ok := byMetric[name]
		if !ok {
			continue
		}
		got := agg.Summary(i)
		// The page's B column is the mean over replicates where the
		// metric is defined in both A and B; where it is undefined in
		// some runs (no setback to recover from, say) that is not B's
		// own mean, so only metrics defined in every pair are compared.
		if r.N != sc.Runs {
			continue
		}
		compared++
		if got.N != r.N || math.Abs(got.Mean-r.MeanB) > 1e-9*math.Max(1, math.Abs(r.MeanB)) {
			t.Errorf("%s: entrench run of the download gives mean %v over %d runs; the page showed B = %v over %d", name, got.Mean, got.N, r.MeanB, r.N)
		}
	}
	// Reset puts every lever back to the scenario's value.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("reset"))); err != nil {
		t.Fatal(err)
	}
	left, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelectorAll('.lever.changed').length + ' ' + document.getElementById('lever-levers-tapi-stake-value').value`))
	if err != nil || left != "0 0" {
		t.Errorf("after Reset: %q changed levers and TAPI value (%v)", left, err)
	}

	// A bad upload comes back with the loader's positioned problems.
	bad, err := filepath.Abs("testdata/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.Click(chromedp.CSS("details summary")),
		chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{bad}),
		chromedp.Click(chromedp.ID("upload")),
		chromedp.WaitVisible(chromedp.ID("upload-errors")),
	); err != nil {
		t.Fatal(err)
	}
	problems, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("upload-errors")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(problems, "bad.yaml:14:23: levers.tapi_stake.value: 1.7 is out of range") {
		t.Errorf("upload problems on the page: %q", problems)
	}
	if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		_ = os.WriteFile(filepath.Join(filepath.Dir(shotPath), "lab-upload-errors.png"), shot, 0o644)
	}

	if el := time.Since(begin); el > 60*time.Second {
		t.Errorf("the browser test took %v; keep it under 60 s", el)
	}
}

// TestBrowserClickToFigure300 measures, for the report, the time from the
// click on Run to the loaded figure for 300 pairs of baseline runs with
// the TAPI lever moved. Set ENTRENCH_LAB_TIMING=1 (or ENTRENCH_FULL=1).
func TestBrowserClickToFigure300(t *testing.T) {
	if os.Getenv("ENTRENCH_LAB_TIMING") == "" && os.Getenv("ENTRENCH_FULL") == "" {
		t.Skip("timing run: set ENTRENCH_LAB_TIMING=1")
	}
	url := labServer(t, Config{})
	ctx := newBrowser(t, 3*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	var times []time.Duration
	for i, v := range []string{"0.8", "0.5", "0.8"} {
		if err := chromedp.Do(ctx, moveLever("lever-levers-tapi-stake-value", v)); err != nil {
			t.Fatal(err)
		}
		d := runAndWait(ctx, t)
		times = append(times, d)
		t.Logf("run %d (tapi_stake %s, 300 pairs): click to figure %v", i+1, v, d.Round(time.Millisecond))
	}
	fmt.Fprintf(os.Stderr, "lab click-to-figure, 300 pairs of baseline runs: %v\n", times)
}
