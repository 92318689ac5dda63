package lab

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/study"
)

// bigScenario is the reviewer's upload: orgs organizations of officials
// officials each over horizon ticks, a few KB of YAML.
func bigScenario(orgs, officials, horizon int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "name: big\nstart: 2010-01\nhorizon: %d\nsides:\n  - {name: moscow, bloc: east}\n  - {name: dc, bloc: west}\norganizations:\n", horizon)
	for i := range orgs {
		side := "moscow"
		if i%2 == 1 {
			side = "dc"
		}
		fmt.Fprintf(&b, "  - {name: o%d, side: %s, kind: energy, officials: %d}\n", i, side, officials)
	}
	b.WriteString("channels:\n  - {name: tapi, kind: energy, participants: [o0, o1]}\n")
	return []byte(b.String())
}

// TestScenarioCaps checks the caps on a scenario's size and a run's work,
// for uploads, built-ins and runs.
func TestScenarioCaps(t *testing.T) {
	s := newTestServer(t, Config{})

	// The upload that pinned the server: 10 million officials over 600
	// ticks. Refused at once, with the numbers and the limit.
	start := time.Now()
	w := uploadBytes(t, s, "big.yaml", bigScenario(100, 100_000, 600))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "big.yaml: organizations: 10,000,000 officials in all is more than this lab allows (20,000)") {
		t.Fatalf("huge upload: %d %s", w.Code, w.Body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing the huge upload took %v", d)
	}
	if len(s.uploads) != 0 {
		t.Error("the refused upload was kept")
	}

	// Within the officials cap but over the work cap even at MinRuns
	// pairs: 20,000 × 600 × 10 × 2 = 240,000,000 > 100,000,000.
	small := newTestServer(t, Config{MaxWork: 100_000_000})
	w = uploadBytes(t, small, "wide.yaml", bigScenario(2, 10_000, 600))
	if want := "wide.yaml: work: 20,000 officials × 600 ticks × 10 pairs × 2 runs = 240,000,000 official-updates is more than this lab allows (100,000,000) even at 10 pairs"; w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), want) {
		t.Fatalf("upload over the work cap: %d, want %q in %s", w.Code, want, w.Body)
	}

	// A run over the work cap is refused before it starts and says how
	// many pairs fit: baseline is 980 officials × 180 ticks, 352,800
	// official-updates a pair, so 283 pairs fit in 1e8.
	f := form("scenario", "baseline", "runs", "300")
	w = postForm(t, small.Handler(), "/run", f, "Accept", "application/json")
	if want := "work: 980 officials × 180 ticks × 300 pairs × 2 runs = 105,840,000 official-updates is more than this lab allows (100,000,000); ask for at most 283 pairs"; w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), want) {
		t.Fatalf("run over the work cap: %d, want %q in %s", w.Code, want, w.Body)
	}
	w = postForm(t, small.Handler(), "/run", f)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "ask for at most 283 pairs") || !strings.Contains(w.Body.String(), `id="errors" class="problems" role="alert"`) {
		t.Fatalf("run over the work cap, HTML: %d", w.Code)
	}
	if len(small.jobs) != 0 {
		t.Fatal("a run over the work cap was started")
	}
	// The page starts such a scenario at the most pairs that fit.
	w = request(t, small.Handler(), http.MethodGet, "/?scenario=baseline", nil)
	if !strings.Contains(w.Body.String(), `name="runs" min="10" max="283" step="1" value="283"`) {
		t.Error("the replicates box does not start at the 283 pairs that fit the work cap")
	}
	// The download of the same settings is refused too: the lab would not
	// run them.
	if w := request(t, small.Handler(), http.MethodGet, "/download?"+f.Encode(), nil); w.Code != http.StatusBadRequest {
		t.Errorf("download over the work cap: %d", w.Code)
	}

	// Built-in scenarios are held to the same caps.
	tight := newTestServer(t, Config{MaxOfficials: 500})
	w = postForm(t, tight.Handler(), "/run", form("scenario", "baseline", "runs", "10"), "Accept", "application/json")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "organizations: 980 officials in all is more than this lab allows (500)") {
		t.Fatalf("baseline over the officials cap: %d %s", w.Code, w.Body)
	}
	w = request(t, tight.Handler(), http.MethodGet, "/?scenario=baseline", nil)
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "980 officials in all") {
		t.Errorf("page of a built-in over the caps: %d", w.Code)
	}
	st := startRun(t, tight, form("scenario", "tiny", "runs", "10"))
	if st = waitRun(t, tight, st.Job); st.State != stateDone {
		t.Errorf("tiny within the caps: %+v", st)
	}
}

func TestGrouped(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 2_000_000_000: "2,000,000,000", -12345: "-12,345"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestServeShutdownStuckRun checks that Serve stops accepting and cancels
// the runs at once when its context is cancelled, and returns within its
// bound even when a run ignores its context.
func TestServeShutdownStuckRun(t *testing.T) {
	var log syncBuffer
	s, err := New(Config{Addr: "127.0.0.1:0", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	s.stopWait = 2 * time.Second
	started, sawCancel, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	s.compare = func(ctx context.Context, _, _ *sim.Model, _ study.Settings) (*study.CompareResult, error) {
		close(started)
		<-ctx.Done()
		close(sawCancel)
		<-release // a run that does not stop when cancelled
		return nil, sim.ErrInterrupted
	}
	t.Cleanup(func() { close(release); s.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	st := startRun(t, s, form("scenario", "tiny", "runs", "10"))
	<-started

	begin := time.Now()
	cancel()
	select {
	case <-sawCancel:
	case <-time.After(time.Second):
		t.Fatal("the run's context was not cancelled within a second of Serve's")
	}
	// The listener closes while Serve still waits for the stuck run.
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(base + "/")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Since(begin) > time.Second {
			t.Fatal("the server still accepts connections a second after cancellation")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-done:
		t.Fatal("Serve returned before the stuck run's time bound")
	default:
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return within its bound with a stuck run")
	}
	took := time.Since(begin)
	if took < s.stopWait || took > s.stopWait+2*time.Second {
		t.Errorf("Serve returned %v after cancellation; want about %v", took, s.stopWait)
	}
	if !strings.Contains(log.String(), "1 run(s) did not stop within 2s") || !strings.Contains(log.String(), st.Job) {
		t.Errorf("the stuck run is not logged: %q", log.String())
	}
	if runStopWait > 5*time.Second {
		t.Errorf("runStopWait %v: Serve may wait longer than 5s for runs", runStopWait)
	}
}

// TestEvictFinished checks that the server keeps the keepFinished jobs
// that finished last, forgets older ones with their results, and never
// forgets a job still running.
func TestEvictFinished(t *testing.T) {
	s := newTestServer(t, Config{MaxConcurrent: 2, Workers: 1})
	release := make(chan struct{})
	var calls atomic.Int32
	s.compare = func(ctx context.Context, a, b *sim.Model, st study.Settings) (*study.CompareResult, error) {
		if calls.Add(1) == 1 {
			<-release // the first run is slow: it finishes last
		}
		return study.Compare(ctx, a, b, st)
	}
	slow := startRun(t, s, form("scenario", "tiny", "runs", "10"))
	for s.job(slow.Job).status().State != stateRunning {
		time.Sleep(5 * time.Millisecond)
	}
	var quick []string
	for range keepFinished + 4 {
		st := startRun(t, s, form("scenario", "tiny", "runs", "10"))
		if st = waitRun(t, s, st.Job); st.State != stateDone {
			t.Fatalf("quick run: %+v", st)
		}
		quick = append(quick, st.Job)
	}
	count := func() (n int) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.pages) != len(s.jobs) || len(s.order) != len(s.jobs) {
			t.Errorf("%d jobs, %d pages, %d in order", len(s.jobs), len(s.pages), len(s.order))
		}
		return len(s.jobs)
	}
	if n := count(); n != keepFinished+1 {
		t.Errorf("%d jobs kept, want the %d last finished and the running one", n, keepFinished)
	}
	if s.job(slow.Job) == nil {
		t.Fatal("the running job was forgotten")
	}
	for i, id := range quick {
		kept := s.job(id) != nil
		if want := i >= len(quick)-keepFinished; kept != want {
			t.Errorf("quick run %d: kept %v, want %v", i, kept, want)
		}
	}
	for _, id := range quick[:len(quick)-keepFinished] {
		if w := request(t, s.Handler(), http.MethodGet, "/status?job="+id, nil); w.Code != http.StatusNotFound {
			t.Errorf("status of a forgotten run: %d", w.Code)
		}
		if w := request(t, s.Handler(), http.MethodGet, "/figure/"+id+"/cooperation_a.svg", nil); w.Code != http.StatusNotFound {
			t.Errorf("figure of a forgotten run: %d", w.Code)
		}
	}
	// The slow run finishes last: it is kept, though it started first,
	// and the quick run that finished first goes.
	close(release)
	if st := waitRun(t, s, slow.Job); st.State != stateDone {
		t.Fatalf("slow run: %+v", st)
	}
	if n := count(); n != keepFinished {
		t.Errorf("%d jobs kept, want %d", n, keepFinished)
	}
	if s.job(slow.Job) == nil || s.job(quick[len(quick)-keepFinished]) != nil || s.job(quick[len(quick)-1]) == nil {
		t.Error("eviction does not follow the order in which runs finished")
	}
}

// TestTooFewPairs checks that a metric defined in fewer than MinRuns
// pairs gets no interval and no verdict: tiny has no Russian military,
// so its stance is defined in no pair.
func TestTooFewPairs(t *testing.T) {
	s := newTestServer(t, Config{})
	st := startRun(t, s, form("scenario", "tiny", "runs", "10", "levers.tapi_stake.value", "1"))
	if st = waitRun(t, s, st.Job); st.State != stateDone {
		t.Fatalf("run: %+v", st)
	}
	res, _ := s.job(st.Job).result()
	seen := false
	for _, r := range res.Rows {
		if r.N < MinRuns {
			if r.Verdict != tooFew || r.CI != "" || r.Class != "none" {
				t.Errorf("%s in %d pairs: verdict %q, interval %q", r.Name, r.N, r.Verdict, r.CI)
			}
		} else if r.Verdict == tooFew || r.CI == "" {
			t.Errorf("%s in %d pairs: verdict %q, interval %q", r.Name, r.N, r.Verdict, r.CI)
		}
		if r.Name == sim.SummaryNames[sim.SumFinalRuMilitary] {
			seen = r.N == 0
		}
	}
	if !seen {
		t.Fatal("tiny's Russian military stance is defined: pick another metric for this test")
	}
	w := request(t, s.Handler(), http.MethodGet, "/result?job="+st.Job, nil)
	if !strings.Contains(w.Body.String(), tooFew) {
		t.Error("the result page does not say too few pairs")
	}
	r := row{Label: "Cooperation after 2 years", A: "0.21", B: "0.33", Diff: "+0.12", Verdict: tooFew, Class: "none", N: 4}
	if got, want := headline(r), "Cooperation after 2 years: too few pairs for an interval (4 pairs) — +0.12 (0.21 → 0.33)"; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
}
