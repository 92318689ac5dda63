package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entrench/entrench/calibrate"
	"github.com/entrench/entrench/estimate"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// syncBuffer is a bytes.Buffer safe for the server's log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// request sends a request to the handler as the browser on this machine
// would.
func request(t *testing.T, h http.Handler, method, target string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	r.Host = "127.0.0.1:8080"
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func postForm(t *testing.T, h http.Handler, target string, form url.Values, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return request(t, h, http.MethodPost, target, strings.NewReader(form.Encode()),
		append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
}

// startRun posts a run from the page's script and returns its status.
func startRun(t *testing.T, s *Server, form url.Values) status {
	t.Helper()
	w := postForm(t, s.Handler(), "/run", form, "Accept", "application/json")
	if w.Code != http.StatusAccepted {
		t.Fatalf("POST /run: %d %s", w.Code, w.Body)
	}
	var st status
	if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitRun polls the status until the run is over.
func waitRun(t *testing.T, s *Server, id string) status {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		w := request(t, s.Handler(), http.MethodGet, "/status?job="+id, nil)
		var st status
		if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
			t.Fatalf("status: %v: %s", err, w.Body)
		}
		if st.State != stateQueued && st.State != stateRunning {
			return st
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("run %s did not finish", id)
	return status{}
}

func form(kv ...string) url.Values {
	v := url.Values{"page": {newID()}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" for none
	}{
		{"zero is the defaults", Config{}, ""},
		{"all set", Config{Addr: "0.0.0.0:9000", MaxRuns: 20, StartRuns: 10, MaxHorizon: 100, MaxOfficials: 500, MaxWork: 1e6, RunTimeout: time.Second, MaxBody: 4096, MaxConcurrent: 1, Workers: 2}, ""},
		{"bad address", Config{Addr: "localhost"}, "not host:port"},
		{"negative cap", Config{MaxRuns: -1}, "replicate cap"},
		{"cap below the fewest pairs", Config{MaxRuns: 9}, "replicate cap must be from 10"},
		{"default above cap", Config{MaxRuns: 10, StartRuns: 11}, "default replicates"},
		{"default below the fewest pairs", Config{StartRuns: 5}, "default replicates must be from 10"},
		{"officials", Config{MaxOfficials: -1}, "officials cap"},
		{"work", Config{MaxWork: -1}, "work cap"},
		{"horizon", Config{MaxHorizon: 5000}, "horizon cap"},
		{"timeout", Config{RunTimeout: -time.Second}, "timeout"},
		{"tiny body", Config{MaxBody: 10}, "body limit"},
		{"concurrency", Config{MaxConcurrent: -2}, "concurrent"},
		{"workers", Config{Workers: -1}, "workers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrConfig)):
				t.Fatalf("error %v, want one wrapping ErrConfig and saying %q", err, tt.want)
			}
		})
	}
	if c := (Config{MaxRuns: 50}).withDefaults(); c.StartRuns != 50 {
		t.Errorf("default runs with a cap of 50: %d", c.StartRuns)
	}
	// The default work cap fits every built-in scenario at the default
	// replicate cap.
	c := Config{}.withDefaults()
	for _, b := range scenarios.Builtins() {
		sc, err := scenarios.LoadBuiltin(b.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if w := work(sc, sc, c.MaxRuns); w > c.MaxWork || officials(sc) > int64(c.MaxOfficials) {
			t.Errorf("%s: %d officials, work %d at %d pairs: over the default caps", b.Name, officials(sc), w, c.MaxRuns)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:1": true, "[::1]:80": true, "127.1.2.3:0": true,
		":8080": false, "0.0.0.0:8080": false, "192.168.1.5:80": false, "example.com:80": false, "nonsense": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestLeverTable checks the lever table against the scenario schema: each
// lever's ends load through the strict loader and read back, values just
// outside are refused by both the table and the loader, and the table
// covers every lever path a scenario's lever events may set.
func TestLeverTable(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range Levers() {
		seen[l.leverKey()] = true
		if l.Label == "" || l.Unit == "" || l.Description == "" || l.Group == "" || !(l.Step > 0) || !(l.Min < l.Max) {
			t.Errorf("%s: incomplete entry %+v", l.Path, l)
		}
		for _, x := range []float64{l.Min, l.Max, (l.Min + l.Max) / 2} {
			if l.Integer {
				x = math.Round(x)
			}
			if err := l.Check(x); err != nil {
				t.Errorf("%s: Check(%v): %v", l.Path, x, err)
			}
			sc, err := scenarios.LoadBuiltin("baseline", []scenarios.Override{{Path: l.Path, Value: formatValue(x)}})
			if err != nil {
				t.Errorf("%s=%v: the loader refuses a value the lab allows: %v", l.Path, x, err)
				continue
			}
			if got := l.Value(sc); got != x {
				t.Errorf("%s=%v: Value reads %v", l.Path, x, got)
			}
		}
		outside := []float64{l.Min - l.Step, l.Max + l.Step}
		if l.Integer {
			outside = append(outside, l.Min+0.5)
		}
		for _, x := range outside {
			if l.Check(x) == nil {
				t.Errorf("%s: Check(%v) accepts a value outside the table", l.Path, x)
			}
			_, err := scenarios.LoadBuiltin("baseline", []scenarios.Override{{Path: l.Path, Value: formatValue(x)}})
			if !errors.Is(err, scenarios.ErrRange) && !(l.Integer && errors.Is(err, scenarios.ErrType)) {
				t.Errorf("%s=%v: the loader says %v, want ErrRange: the table's range is wider than the schema's", l.Path, x, err)
			}
		}
		if l.Keep {
			if err := l.Check(-1); err != nil {
				t.Errorf("%s: -1 (keep) refused: %v", l.Path, err)
			}
		}
	}
	for _, p := range scenarios.LeverKeys() {
		if !seen[p] {
			t.Errorf("lever path %q of the schema has no row in the lab's lever table", p)
		}
	}
}

func TestIndexPage(t *testing.T) {
	s := newTestServer(t, Config{})
	w := request(t, s.Handler(), http.MethodGet, "/", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /: %d", w.Code)
	}
	body := w.Body.String()
	base, err := scenarios.LoadBuiltin("baseline", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := s.page("baseline", base, s.defaults("baseline", base), newID())
	for _, g := range d.Groups {
		for _, l := range g.Levers {
			for _, want := range []string{
				`<label for="` + l.ID + `">`,
				`id="` + l.ID + `" name="` + l.Path + `"`,
				`value="` + formatValue(l.Value) + `" aria-describedby="` + l.ID + `-help"`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
		}
	}
	if !strings.Contains(body, `name="levers.ndn_transit.value" min="0" max="1" step="0.01" value="0.4"`) {
		t.Error("the NDN slider does not start at the baseline's 0.4")
	}
	if !strings.Contains(body, `name="runs" min="10" max="2000" step="1" value="300"`) {
		t.Error("the replicates box does not show the default 300, minimum 10 and cap 2000")
	}
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Errorf("the page must load nothing from elsewhere (CSP %q)", csp)
	}
	for _, p := range []string{"/static/lab.css", "/static/lab.js"} {
		if w := request(t, s.Handler(), http.MethodGet, p, nil); w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
	if w := request(t, s.Handler(), http.MethodGet, "/?scenario=nope", nil); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "no built-in scenario") {
		t.Errorf("unknown scenario: %d, want 404 with the loader's message", w.Code)
	}
}

// TestRun runs a small comparison through the handlers and checks that
// the page's numbers are those of sim.Compare and that the downloaded
// scenario reproduces the B column.
func TestRun(t *testing.T) {
	s := newTestServer(t, Config{})
	st := startRun(t, s, form("scenario", "tiny", "levers.tapi_stake.value", "1", "crises.rate_per_year", "0.4", "runs", "12", "seed", "7"))
	if st.Total != 12 {
		t.Fatalf("total %d", st.Total)
	}
	if st = waitRun(t, s, st.Job); st.State != stateDone || st.Done != 12 {
		t.Fatalf("run ended %+v", st)
	}
	w := request(t, s.Handler(), http.MethodGet, "/result?job="+st.Job, nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="summary"`) {
		t.Fatalf("result: %d %s", w.Code, w.Body)
	}
	// The page says what the stress probe's entrenchment means, and so do
	// its entrenchment figures.
	if !strings.Contains(w.Body.String(), sim.EntrenchmentMeaning) {
		t.Errorf("the result page does not explain entrenchment (%q)", sim.EntrenchmentMeaning)
	}
	if w := request(t, s.Handler(), http.MethodGet, "/figure/"+st.Job+"/entrenchment_diff.svg", nil); !bytes.Contains(w.Body.Bytes(), []byte("Crimea-size")) {
		t.Errorf("the entrenchment figure has no caption")
	}
	for _, name := range figureNames {
		w := request(t, s.Handler(), http.MethodGet, "/figure/"+st.Job+"/"+name+".svg", nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/svg+xml" || !bytes.Contains(w.Body.Bytes(), []byte("<svg")) {
			t.Errorf("figure %s: %d %s", name, w.Code, w.Header().Get("Content-Type"))
		}
	}

	// The same comparison straight from sim.
	a, _ := scenarios.LoadBuiltin("tiny", nil)
	b, _ := scenarios.LoadBuiltin("tiny", []scenarios.Override{{Path: "levers.tapi_stake.value", Value: "1"}, {Path: "crises.rate_per_year", Value: "0.4"}})
	a.Seed, b.Seed = 7, 7
	ma, _ := sim.Compile(a)
	mb, _ := sim.Compile(b)
	c, _, err := sim.Compare(context.Background(), ma, mb, sim.Options{Runs: 12}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := s.job(st.Job).result()
	for _, r := range res.Rows {
		want := c.Paired(indexOf(t, r.Name))
		if !samePaired(r.Stat, want) {
			t.Errorf("%s: page %+v, sim.Compare %+v", r.Name, r.Stat, want)
		}
	}

	// The run's scenario file reproduces B.
	w = request(t, s.Handler(), http.MethodGet, "/scenario.yaml?job="+st.Job, nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Disposition"), `filename="tiny-lab.yaml"`) {
		t.Fatalf("scenario.yaml: %d %v", w.Code, w.Header())
	}
	sc, err := scenarios.Load("tiny-lab.yaml", w.Body.Bytes(), nil)
	if err != nil {
		t.Fatalf("downloaded scenario: %v\n%s", err, w.Body)
	}
	if sc.Runs != 12 || sc.Seed != 7 || sc.Levers.TAPIStake.Value != 1 || sc.Name != "tiny-lab" {
		t.Fatalf("downloaded scenario: runs %d seed %d tapi %v name %s", sc.Runs, sc.Seed, sc.Levers.TAPIStake.Value, sc.Name)
	}
	m, _ := sim.Compile(sc)
	agg := m.NewAggregate()
	if _, err := sim.Batch(context.Background(), m, sim.Options{Runs: sc.Runs}, agg); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, r := range res.Rows {
		got := agg.Summary(indexOf(t, r.Name))
		// Paired means cover replicates where the metric is defined in
		// both A and B; only metrics defined in every pair equal B's own
		// mean.
		if r.N != sc.Runs {
			continue
		}
		compared++
		if got.N != r.N || math.Abs(got.Mean-r.Stat.MeanB) > 1e-12 {
			t.Errorf("%s: entrench run of the download gives %v (n %d), page B %v (n %d)", r.Name, got.Mean, got.N, r.Stat.MeanB, r.N)
		}
	}
	if compared < 3 {
		t.Errorf("only %d metrics were defined in every pair", compared)
	}
}

func indexOf(t *testing.T, name string) int {
	for i, n := range sim.SummaryNames {
		if n == name {
			return i
		}
	}
	t.Fatalf("no summary metric %s", name)
	return -1
}

func samePaired(a, b estimate.Difference) bool {
	eq := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	return a.N == b.N && eq(a.MeanA, b.MeanA) && eq(a.MeanB, b.MeanB) && eq(a.Mean, b.Mean) && eq(a.Lo, b.Lo) && eq(a.Hi, b.Hi)
}

// TestRunRejects checks that every input is range-checked on the server
// and that problems come back as messages.
func TestRunRejects(t *testing.T) {
	s := newTestServer(t, Config{MaxRuns: 500})
	tests := []struct {
		name string
		form url.Values
		code int
		want string
	}{
		{"lever above range", form("scenario", "baseline", "levers.tapi_stake.value", "1.5"), 400, "Gazprom stake in TAPI: 1.5 is out of range: must be from 0 to 1"},
		{"lever below range", form("scenario", "baseline", "crises.rate_per_year", "-1"), 400, "Crises: -1 is out of range"},
		{"lever not a number", form("scenario", "baseline", "levers.ndn_transit.value", "lots"), 400, `"lots" is not a number`},
		{"NaN", form("scenario", "baseline", "levers.ndn_transit.value", "NaN"), 400, "is not a number"},
		{"infinity", form("scenario", "baseline", "crises.rate_per_year", "+Inf"), 400, "is not a number"},
		{"severity at 1", form("scenario", "baseline", "crises.severity_mean", "1"), 400, "Crisis severity: 1 is out of range"},
		{"fractional contracts", form("scenario", "baseline", "levers.defense_sales.count", "2.5"), 400, "must be a whole number"},
		{"keep lever out of range", form("scenario", "baseline", "set:levers.us_attention.level", "on", "levers.us_attention.level", "-0.5"), 400, "US attention floor: -0.5 is out of range"},
		{"too many runs", form("scenario", "baseline", "runs", "501"), 400, "replicates: 501 is out of range: must be from 10 to 500"},
		{"no runs", form("scenario", "baseline", "runs", "0"), 400, "replicates: 0 is out of range"},
		{"too few runs", form("scenario", "baseline", "runs", "9"), 400, "replicates: 9 is out of range: must be from 10 to 500 (fewer than 10 pairs give no useful interval)"},
		{"runs not a number", form("scenario", "baseline", "runs", "1e3"), 400, "not a whole number"},
		{"negative seed", form("scenario", "baseline", "seed", "-4"), 400, "seed:"},
		{"no scenario", form(), 400, "choose a scenario"},
		{"unknown scenario", form("scenario", "baselin"), 400, `no built-in scenario "baselin" (did you mean "baseline"?)`},
		{"stale upload", form("scenario", "upload:"+newID()), 400, "upload it again"},
		{"no page token", url.Values{"scenario": {"baseline"}}, 400, "reload the page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := postForm(t, s.Handler(), "/run", tt.form, "Accept", "application/json")
			var body struct{ Errors []string }
			_ = json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != tt.code || !strings.Contains(strings.Join(body.Errors, "\n"), tt.want) {
				t.Fatalf("got %d %s; want %d with %q", w.Code, w.Body, tt.code, tt.want)
			}
			// Without JavaScript the same problems come back on the page.
			w = postForm(t, s.Handler(), "/run", tt.form)
			if w.Code != tt.code || !strings.Contains(w.Body.String(), htmlEscaped(tt.want)) || !strings.Contains(w.Body.String(), `id="errors" class="problems" role="alert"`) {
				t.Fatalf("HTML: got %d; want %d with %q", w.Code, tt.code, tt.want)
			}
		})
	}
	if len(s.jobs) != 0 {
		t.Errorf("rejected forms started %d runs", len(s.jobs))
	}
}

// htmlEscaped escapes a message as html/template does in text.
func htmlEscaped(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestRunScenarioValidation checks that lever overrides go through the
// scenario's own validation: the US attention levers need the side they
// act on, which this uploaded scenario lacks.
func TestRunScenarioValidation(t *testing.T) {
	s := newTestServer(t, Config{})
	id := uploadFile(t, s, "testdata/nodc.yaml", http.StatusSeeOther)
	f := form("scenario", uploadPrefix+id, "set:levers.us_attention.level", "on", "levers.us_attention.level", "0.5")
	w := postForm(t, s.Handler(), "/run", f, "Accept", "application/json")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `levers.us_attention.side: unknown side \"washington\"`) {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	// Unticked, the lever keeps the side's own setting, and the run starts.
	f.Del("set:levers.us_attention.level")
	f.Set("runs", "10")
	st := startRun(t, s, f)
	if st = waitRun(t, s, st.Job); st.State != stateDone {
		t.Fatalf("run ended %+v", st)
	}
}

// uploadFile posts a file to /upload and returns the upload's id.
func uploadFile(t *testing.T, s *Server, path string, wantCode int) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := uploadBytes(t, s, path[strings.LastIndexByte(path, '/')+1:], data)
	if w.Code != wantCode {
		t.Fatalf("upload %s: %d %s", path, w.Code, w.Body)
	}
	loc := w.Header().Get("Location")
	id, _ := strings.CutPrefix(loc, "/?scenario="+url.QueryEscape(uploadPrefix))
	if id == loc {
		id, _ = strings.CutPrefix(loc, "/?scenario="+uploadPrefix)
	}
	return id
}

func uploadBytes(t *testing.T, s *Server, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.WriteField("scenario", "baseline")
	_ = mw.Close()
	return request(t, s.Handler(), http.MethodPost, "/upload", &body, "Content-Type", mw.FormDataContentType())
}

func TestUpload(t *testing.T) {
	s := newTestServer(t, Config{MaxBody: 8 << 10})
	id := uploadFile(t, s, "testdata/nodc.yaml", http.StatusSeeOther)
	if !validID(id) {
		t.Fatalf("upload id %q", id)
	}
	w := request(t, s.Handler(), http.MethodGet, "/?scenario="+uploadPrefix+id, nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "uploaded: nodc.yaml (nodc)") {
		t.Fatalf("page of the upload: %d", w.Code)
	}

	// A bad file: every problem, positioned in the file, on the page.
	data, _ := os.ReadFile("testdata/bad.yaml")
	w = uploadBytes(t, s, "../../etc/bad.yaml", data)
	body := w.Body.String()
	if w.Code != http.StatusBadRequest {
		t.Fatalf("bad upload: %d", w.Code)
	}
	for _, want := range []string{
		`id="upload-errors"`,
		`bad.yaml:2:7: name: name &#34;bad scenario&#34; may only hold`,
		`bad.yaml:14:23: levers.tapi_stake.value: 1.7 is out of range: must be from 0 to 1`,
		`bad.yaml:15:3: levers.ndn_transitt: unknown key &#34;ndn_transitt&#34; (did you mean &#34;ndn_transit&#34;?)`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(body, "etc/") {
		t.Error("the uploaded file's path leaks into the page")
	}

	big := append([]byte("name: big\n#"), bytes.Repeat([]byte("x"), 9<<10)...)
	if w := uploadBytes(t, s, "big.yaml", big); w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "larger than the lab accepts (8 KiB)") {
		t.Errorf("oversized upload: %d", w.Code)
	}
	if w := request(t, s.Handler(), http.MethodPost, "/upload", strings.NewReader("x"), "Content-Type", "text/plain"); w.Code != http.StatusBadRequest {
		t.Errorf("upload without a file: %d", w.Code)
	}
	// A scenario longer than the horizon cap is refused.
	s2 := newTestServer(t, Config{MaxHorizon: 30})
	long := bytes.Replace(mustRead(t, "testdata/nodc.yaml"), []byte("horizon: 12"), []byte("horizon: 48"), 1)
	if w := uploadBytes(t, s2, "nodc.yaml", long); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "48 ticks is longer than this lab allows (30)") {
		t.Errorf("long upload: %d", w.Code)
	}
}

func mustRead(t *testing.T, p string) []byte {
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t, Config{MaxBody: 2048})
	f := form("scenario", "baseline", "filler", strings.Repeat("x", 4096))
	w := postForm(t, s.Handler(), "/run", f, "Accept", "application/json")
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "larger than the lab accepts") {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}

// TestNewRunCancelsOld checks that a page's new run cancels its old one,
// and that other pages' runs go on.
func TestNewRunCancelsOld(t *testing.T) {
	s := newTestServer(t, Config{MaxConcurrent: 1, Workers: 1})
	page, other := newID(), newID()
	long := form("scenario", "baseline", "runs", "2000", "page", page)
	first := startRun(t, s, long)
	otherRun := startRun(t, s, form("scenario", "tiny", "runs", "10", "page", other))
	second := startRun(t, s, form("scenario", "tiny", "runs", "10", "page", page))
	if st := waitRun(t, s, first.Job); st.State != stateCancelled || !strings.Contains(st.Message, "Replaced by a newer run") {
		t.Errorf("first run: %+v", st)
	}
	for _, id := range []string{second.Job, otherRun.Job} {
		if st := waitRun(t, s, id); st.State != stateDone {
			t.Errorf("run %s: %+v", id, st)
		}
	}
}

func TestCancelAndTimeout(t *testing.T) {
	s := newTestServer(t, Config{Workers: 1})
	st := startRun(t, s, form("scenario", "baseline", "runs", "2000"))
	w := postForm(t, s.Handler(), "/cancel", url.Values{"job": {st.Job}}, "Accept", "application/json")
	if w.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", w.Code, w.Body)
	}
	if st = waitRun(t, s, st.Job); st.State != stateCancelled {
		t.Errorf("after cancel: %+v", st)
	}

	s = newTestServer(t, Config{Workers: 1, RunTimeout: 100 * time.Millisecond})
	st = startRun(t, s, form("scenario", "baseline", "runs", "2000"))
	if st = waitRun(t, s, st.Job); st.State != stateFailed || !strings.Contains(st.Message, "time limit") {
		t.Errorf("after the timeout: %+v", st)
	}
	if w := request(t, s.Handler(), http.MethodGet, "/status?job="+newID(), nil); w.Code != http.StatusNotFound {
		t.Errorf("status of an unknown run: %d", w.Code)
	}
	if w := request(t, s.Handler(), http.MethodGet, "/figure/"+st.Job+"/cooperation_a.svg", nil); w.Code != http.StatusNotFound {
		t.Errorf("figure of a failed run: %d", w.Code)
	}
}

// TestBusy checks the global bound: one run computes, four wait, the
// next is refused.
func TestBusy(t *testing.T) {
	s := newTestServer(t, Config{MaxConcurrent: 1, Workers: 1})
	first := startRun(t, s, form("scenario", "baseline", "runs", "2000"))
	for s.job(first.Job).status().State != stateRunning {
		time.Sleep(5 * time.Millisecond)
	}
	for range 4 {
		startRun(t, s, form("scenario", "baseline", "runs", "2000"))
	}
	w := postForm(t, s.Handler(), "/run", form("scenario", "tiny"), "Accept", "application/json")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "busy") {
		t.Fatalf("fifth waiting run: %d %s", w.Code, w.Body)
	}
}

func TestGuard(t *testing.T) {
	var log syncBuffer
	s := newTestServer(t, Config{Log: &log})
	h := s.guard(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom in handler") }))
	w := request(t, h, http.MethodGet, "/", nil)
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "boom") || strings.Contains(w.Body.String(), "goroutine") {
		t.Errorf("panic: %d %q", w.Code, w.Body)
	}
	if !strings.Contains(log.String(), "boom in handler") {
		t.Errorf("the panic is not logged: %q", log.String())
	}

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Host = "evil.example:8080"
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, r)
	if rec.Code != http.StatusForbidden {
		t.Errorf("foreign Host on a loopback server: %d", rec.Code)
	}
	if got := w.Header().Get("Referrer-Policy"); got != "same-origin" {
		t.Errorf("Referrer-Policy %q: under no-referrer the page's own POSTs carry Origin: null, which is refused", got)
	}
	// Cross-site requests to every state-changing route are refused
	// before the handler runs, whatever the route would have answered.
	for _, target := range []string{"/run", "/cancel", "/upload"} {
		for _, tt := range []struct {
			name   string
			header []string
		}{
			{"foreign Origin", []string{"Origin", "http://evil.example"}},
			{"foreign Origin with this port", []string{"Origin", "http://evil.example:8080"}},
			{"Origin null", []string{"Origin", "null"}},
			{"Origin null, same-origin fetch", []string{"Origin", "null", "Sec-Fetch-Site", "same-origin"}},
			{"Sec-Fetch-Site cross-site", []string{"Sec-Fetch-Site", "cross-site"}},
			{"Sec-Fetch-Site cross-site, own Origin", []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://127.0.0.1:8080"}},
			{"Sec-Fetch-Site same-site", []string{"Sec-Fetch-Site", "same-site", "Origin", "http://127.0.0.1:9999"}},
		} {
			w := postForm(t, s.Handler(), target, form("scenario", "tiny", "runs", "10"), append(tt.header, "Accept", "application/json")...)
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Cross-site request refused") {
				t.Errorf("POST %s, %s: %d %s", target, tt.name, w.Code, w.Body)
			}
		}
	}
	if n := len(s.jobs); n != 0 {
		t.Errorf("refused requests started %d runs", n)
	}
	// The lab's own pages, from a current browser and an older one, and
	// clients that send neither header (curl, scripts: no browser, so no
	// forgery; see crossOrigin) are let through.
	for _, tt := range []struct {
		name   string
		header []string
	}{
		{"same-origin browser", []string{"Sec-Fetch-Site", "same-origin", "Origin", "http://127.0.0.1:8080"}},
		{"older browser, own Origin", []string{"Origin", "http://127.0.0.1:8080"}},
		{"user navigation", []string{"Sec-Fetch-Site", "none"}},
		{"no browser headers", nil},
	} {
		w := postForm(t, s.Handler(), "/run", form("scenario", "tiny", "runs", "10"), append(tt.header, "Accept", "application/json")...)
		if w.Code != http.StatusAccepted {
			t.Errorf("%s: %d %s", tt.name, w.Code, w.Body)
		}
	}
	// GET routes stay open to links and reloads from anywhere.
	if w := request(t, s.Handler(), http.MethodGet, "/", nil, "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusOK {
		t.Errorf("cross-site GET /: %d", w.Code)
	}
	if w := request(t, s.Handler(), http.MethodGet, "/run", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /run: %d", w.Code)
	}
	// A server on every interface answers to any host name.
	open := newTestServer(t, Config{Addr: ":0"})
	r = httptest.NewRequest(http.MethodGet, "/", nil)
	r.Host = "lab.school.example"
	rec = httptest.NewRecorder()
	open.Handler().ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Errorf("non-loopback server: %d", rec.Code)
	}
}

func TestDownloadSettings(t *testing.T) {
	s := newTestServer(t, Config{})
	q := url.Values{"scenario": {"baseline"}, "levers.tapi_stake.value": {"0.8"}, "levers.us_attention.level": {"0.3"}, "runs": {"50"}, "seed": {"7"}}
	w := request(t, s.Handler(), http.MethodGet, "/download?"+q.Encode(), nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Disposition"), `filename="baseline-lab.yaml"`) {
		t.Fatalf("download: %d %v", w.Code, w.Header())
	}
	sc, err := scenarios.Load("baseline-lab.yaml", w.Body.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Levers.TAPIStake.Value != 0.8 || sc.Runs != 50 || sc.Seed != 7 || sc.Levers.USAttention.Level != -1 {
		t.Errorf("downloaded: tapi %v runs %d seed %d us level %v", sc.Levers.TAPIStake.Value, sc.Runs, sc.Seed, sc.Levers.USAttention.Level)
	}
	if !strings.Contains(sc.Description, "tapi_stake 0.8 (was 0)") {
		t.Errorf("description %q does not say what changed", sc.Description)
	}
	// The untouched levers are the baseline's: only the lever moved differs.
	base, _ := scenarios.LoadBuiltin("baseline", []scenarios.Override{{Path: "levers.tapi_stake.value", Value: "0.8"}})
	base.Name, base.Description, base.Runs, base.Seed = sc.Name, sc.Description, 50, 7
	if scenarios.Hash(base) != scenarios.Hash(sc) {
		t.Error("the download differs from the baseline with the one lever moved")
	}
	q.Set("levers.tapi_stake.value", "3")
	if w := request(t, s.Handler(), http.MethodGet, "/download?"+q.Encode(), nil); w.Code != http.StatusBadRequest || w.Header().Get("Content-Disposition") != "" {
		t.Errorf("bad download: %d", w.Code)
	}
}

// TestNoScript follows a run the way a browser without JavaScript does.
func TestNoScript(t *testing.T) {
	s := newTestServer(t, Config{})
	w := postForm(t, s.Handler(), "/run", form("scenario", "tiny", "runs", "10", "levers.tapi_stake.value", "0.9"))
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/?job=") {
		t.Fatalf("POST /run: %d %q", w.Code, loc)
	}
	id := strings.TrimPrefix(loc, "/?job=")
	waitRun(t, s, id)
	w = request(t, s.Handler(), http.MethodGet, loc, nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `id="summary"`) || !strings.Contains(body, `value="0.9" aria-describedby`) {
		t.Fatalf("page of the run: %d", w.Code)
	}
	if w := request(t, s.Handler(), http.MethodGet, "/?job="+newID(), nil); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "no built-in scenario") {
		t.Errorf("page of an unknown run: %d", w.Code)
	}
}

func TestServeShutdown(t *testing.T) {
	s, err := New(Config{Addr: "127.0.0.1:0", Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	st := startRun(t, s, form("scenario", "baseline", "runs", "2000"))
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	if st := s.job(st.Job).status(); st.State != stateCancelled || !strings.Contains(st.Message, "stopping") {
		t.Errorf("run after shutdown: %+v", st)
	}
	t.Logf("shutdown took %v", time.Since(start))
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("the server still answers after shutdown")
	}
	w := postForm(t, s.Handler(), "/run", form("scenario", "tiny"), "Accept", "application/json")
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("run after shutdown: %d", w.Code)
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		name                 string
		p                    estimate.Difference
		diff, ci, verdict, c string
	}{
		{"clear rise", estimate.Difference{Estimate: estimate.Estimate{N: 300, Mean: 0.12, Lo: 0.08, Hi: 0.16}, MeanA: 0.2, MeanB: 0.32}, "+0.120", "[0.080, 0.160]", "higher", "up"},
		{"clear fall", estimate.Difference{Estimate: estimate.Estimate{N: 300, Mean: -0.53, Lo: -0.68, Hi: -0.38}, MeanA: 3.6, MeanB: 3.1}, "−0.53", "[−0.68, −0.38]", "lower", "down"},
		{"spans zero", estimate.Difference{Estimate: estimate.Estimate{N: 300, Mean: -0.9, Lo: -2.1, Hi: 0.4}, MeanA: 22.9, MeanB: 22.0}, "−0.9", "[−2.1, 0.4]", "no clear effect", "none"},
		{"no change", estimate.Difference{Estimate: estimate.Estimate{N: 300}, MeanA: 0.5, MeanB: 0.5}, "0.00", "[0.00, 0.00]", "no clear effect", "none"},
		{"one pair", estimate.Difference{Estimate: estimate.Estimate{N: 1, Mean: 1, Lo: math.NaN(), Hi: math.NaN()}, MeanA: 1, MeanB: 2}, "+1.00", "[–, –]", tooFew, "none"},
		{"nine pairs", estimate.Difference{Estimate: estimate.Estimate{N: 9, Mean: 1, Lo: 0.5, Hi: 1.5}, MeanA: 1, MeanB: 2}, "+1.00", "[0.50, 1.50]", tooFew, "none"},
		{"ten pairs", estimate.Difference{Estimate: estimate.Estimate{N: 10, Mean: 1, Lo: 0.5, Hi: 1.5}, MeanA: 1, MeanB: 2}, "+1.00", "[0.50, 1.50]", "higher", "up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decimals(tt.p)
			diff, ci := signed(tt.p.Mean, d), "["+fixed(tt.p.Lo, d)+", "+fixed(tt.p.Hi, d)+"]"
			v, c := verdict(tt.p)
			if diff != tt.diff || ci != tt.ci || v != tt.verdict || c != tt.c {
				t.Errorf("got %s %s %s %s, want %s %s %s %s", diff, ci, v, c, tt.diff, tt.ci, tt.verdict, tt.c)
			}
		})
	}
	r := row{Label: "Cooperation after 15 years", A: "0.21", B: "0.33", Diff: "+0.12", CI: "[0.08, 0.16]", Verdict: "higher", Class: "up"}
	if got, want := headline(r), "Cooperation after 15 years: +0.12 [0.08, 0.16], higher (0.21 → 0.33)"; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
	r.Verdict, r.Class = "no clear effect", "none"
	if got := headline(r); !strings.HasPrefix(got, "Cooperation after 15 years: no clear effect") {
		t.Errorf("headline %q", got)
	}
}

// TestRunPosterior runs the lab with a calibration's posterior: the page
// says so, the numbers differ from the plain lab's, and they are those of
// the library path that `entrench compare --posterior` and `entrench run
// --posterior` take (each side's ensemble built from the scenario with its
// overrides, then the particle's values).
func TestRunPosterior(t *testing.T) {
	const file = "testdata/posterior/posterior.csv"
	post, err := calibrate.ReadPosterior(file)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, Config{Posterior: post, PosteriorFile: file})
	page := request(t, s.Handler(), http.MethodGet, "/?scenario=tiny", nil).Body.String()
	if !strings.Contains(page, `id="posterior"`) {
		t.Error("the page has no posterior line")
	}
	for _, want := range []string{"5 particles of " + file, "build_rate (model.build_rate), bias (model.bias)", "play no part: icews_a"} {
		if !strings.Contains(page, htmlEscaped(want)) {
			t.Errorf("the page does not say %q", want)
		}
	}
	plain := newTestServer(t, Config{})
	f := form("scenario", "tiny", "levers.tapi_stake.value", "1", "runs", "16", "seed", "3")
	results := map[*Server]*result{}
	for _, srv := range []*Server{s, plain} {
		st := startRun(t, srv, f)
		if st = waitRun(t, srv, st.Job); st.State != stateDone {
			t.Fatalf("run ended %+v", st)
		}
		results[srv], _ = srv.job(st.Job).result()
		w := request(t, srv.Handler(), http.MethodGet, "/result?job="+st.Job, nil)
		if got := strings.Contains(w.Body.String(), "Posterior ensemble"); got != (srv == s) {
			t.Errorf("the result page mentions the posterior: %v, want %v", got, srv == s)
		}
	}
	w := request(t, s.Handler(), http.MethodGet, "/scenario.yaml?job="+s.pages[f.Get("page")], nil)
	if !strings.Contains(w.Body.String(), "entrench run tiny-lab.yaml --posterior "+file+"\n") {
		t.Errorf("the downloaded scenario does not say to run it with the posterior:\n%s", w.Body)
	}
	differ := false
	for i, r := range results[s].Rows {
		differ = differ || !samePaired(r.Stat, results[plain].Rows[i].Stat)
	}
	if !differ {
		t.Error("the posterior changed nothing")
	}

	// The library path of compare --posterior.
	ovs := []scenarios.Override{{Path: "levers.tapi_stake.value", Value: "1"}}
	ensemble := func(sets []scenarios.Override) *sim.Model {
		sc, err := scenarios.LoadBuiltin("tiny", sets)
		if err != nil {
			t.Fatal(err)
		}
		sc.Runs, sc.Seed = 16, 3
		m, err := sim.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		e, err := post.Ensemble(m, func(pov []scenarios.Override) (*sim.Model, error) {
			x, err := scenarios.LoadBuiltin("tiny", append(append([]scenarios.Override(nil), sets...), pov...))
			if err != nil {
				return nil, err
			}
			x.Runs, x.Seed = 16, 3
			return sim.Compile(x)
		})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	ma, mb := ensemble(nil), ensemble(ovs)
	c, _, err := sim.Compare(context.Background(), ma, mb, sim.Options{Runs: 16}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results[s].Rows {
		if want := c.Paired(indexOf(t, r.Name)); !samePaired(r.Stat, want) {
			t.Errorf("%s: page %+v, compare --posterior %+v", r.Name, r.Stat, want)
		}
	}
	// run --posterior of A alone gives the page's A.
	agg := ma.NewAggregate()
	if _, err := sim.Batch(context.Background(), ma, sim.Options{Runs: 16}, agg); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, r := range results[s].Rows {
		if got := agg.Summary(indexOf(t, r.Name)); r.N == 16 {
			compared++
			if got.N != 16 || math.Abs(got.Mean-r.Stat.MeanA) > 1e-12 {
				t.Errorf("%s: run --posterior gives %v (n %d), page A %v", r.Name, got.Mean, got.N, r.Stat.MeanA)
			}
		}
	}
	if compared < 3 {
		t.Errorf("only %d metrics were defined in every pair", compared)
	}
}

// TestEnsembleDrawsOnly checks that the lab's ensemble, which compiles
// only the particles its replicates draw, runs as the full ensemble of
// calibrate.Posterior.Ensemble when most particles are never drawn.
func TestEnsembleDrawsOnly(t *testing.T) {
	post := &calibrate.Posterior{Names: []string{"build_rate", "bias"}, Keys: []string{"model.build_rate", "model.bias"}}
	for i := range 60 {
		post.Particles = append(post.Particles, []float64{0.05 + 0.005*float64(i), -1 + 0.03*float64(i)})
		post.Weights = append(post.Weights, float64(1+i%4))
	}
	s := newTestServer(t, Config{Posterior: post})
	src, err := s.source("tiny")
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := scenarios.Load(src.file, src.data, nil)
	sc.Runs, sc.Seed = 12, 5
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := s.ensemble(context.Background(), m, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	full, err := post.Ensemble(m, func(ovs []scenarios.Override) (*sim.Model, error) {
		x, err := scenarios.Load(src.file, src.data, ovs)
		if err != nil {
			return nil, err
		}
		x.Runs, x.Seed = 12, 5
		return sim.Compile(x)
	})
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[int]bool{}
	for r := range 12 {
		drawn[lazy.Particle(0, r)] = true
	}
	if len(drawn) < 2 || len(drawn) > 12 {
		t.Fatalf("%d particles drawn by 12 replicates", len(drawn))
	}
	var aggs [2]*sim.Aggregate
	for k, x := range []*sim.Model{lazy, full} {
		aggs[k] = x.NewAggregate()
		if _, err := sim.Batch(context.Background(), x, sim.Options{Runs: 12}, aggs[k]); err != nil {
			t.Fatal(err)
		}
	}
	plain := m.NewAggregate()
	if _, err := sim.Batch(context.Background(), m, sim.Options{Runs: 12}, plain); err != nil {
		t.Fatal(err)
	}
	differ := false
	for i := range sim.SummaryNames {
		a, b := aggs[0].Summary(i), aggs[1].Summary(i)
		if a.N != b.N || !(a.Mean == b.Mean || math.IsNaN(a.Mean) && math.IsNaN(b.Mean)) {
			t.Errorf("%s: lab ensemble %v (n %d), full ensemble %v (n %d)", sim.SummaryNames[i], a.Mean, a.N, b.Mean, b.N)
		}
		differ = differ || plain.Summary(i).Mean != a.Mean
	}
	if !differ {
		t.Error("the ensemble runs as the plain scenario")
	}
}

// TestBadPosterior checks that a posterior the lab cannot run is refused
// when the server is made, with the file and the particle named.
func TestBadPosterior(t *testing.T) {
	const file = "testdata/badposterior/posterior.csv"
	post, err := calibrate.ReadPosterior(file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Config{Posterior: post, PosteriorFile: file})
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "particle 2") || !strings.Contains(err.Error(), "build_rate") {
		t.Errorf("New with a particle out of range: %v", err)
	}
	for name, p := range map[string]*calibrate.Posterior{
		"no keys":     {Names: []string{"a"}, Keys: []string{""}, Particles: [][]float64{{1}}, Weights: []float64{1}},
		"zero weight": {Names: []string{"b"}, Keys: []string{"model.bias"}, Particles: [][]float64{{0}}, Weights: []float64{0}},
		"short":       {Names: []string{"b", "c"}, Keys: []string{"model.bias", ""}, Particles: [][]float64{{0}}, Weights: []float64{1}},
	} {
		if err := (Config{Posterior: p}).Validate(); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "posterior.csv") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPosteriorLineCountsDrawable: the posterior line counts only the
// particles a replicate can draw; the rows of weight 0 an adjusted
// posterior keeps (particles at the edge of the regression's kernel) are
// named apart.
func TestPosteriorLineCountsDrawable(t *testing.T) {
	const file = "testdata/posterior/posterior.csv"
	post, err := calibrate.ReadPosterior(file)
	if err != nil {
		t.Fatal(err)
	}
	post.Weights[0], post.Weights[3] = 0, 0
	s := newTestServer(t, Config{Posterior: post, PosteriorFile: file})
	line := s.posteriorLine()
	if want := "one of the 3 particles of " + file + " (its 2 rows of weight 0 are never drawn)"; !strings.Contains(line, want) {
		t.Errorf("posterior line %q, want it to say %q", line, want)
	}
}
