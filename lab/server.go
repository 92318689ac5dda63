package lab

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/study"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is the policy lab's web server. Create it with New, serve it with
// Serve (or mount Handler), and stop it by cancelling Serve's context or
// with Close. Its methods are safe for concurrent use.
type Server struct {
	cfg     Config
	tmpl    *template.Template
	handler http.Handler
	cop     *http.CrossOriginProtection

	// compare runs a pair in memory; study.Compare, replaced by tests
	// that need a slow or stuck run.
	compare func(context.Context, *sim.Model, *sim.Model, study.Settings) (*study.CompareResult, error)
	// stopWait bounds how long Serve and Close wait for cancelled runs.
	stopWait time.Duration

	ctx  context.Context // parent of every run; cancelled by Close
	stop context.CancelCauseFunc
	sem  chan struct{} // one token per computing run
	wg   sync.WaitGroup

	waiting atomic.Int64 // runs waiting for a token

	mu      sync.Mutex
	closed  bool
	jobs    map[string]*job
	order   []string          // job ids, oldest first
	pages   map[string]string // page token -> its latest job id
	uploads []*upload         // oldest first, at most maxUploads
}

// New checks cfg, fills its defaults and returns a Server.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if err := checkParticles(cfg); err != nil {
		return nil, err
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"value": formatValue}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("lab: templates: %w", err)
	}
	ctx, stop := context.WithCancelCause(context.Background())
	s := &Server{
		cfg: cfg, tmpl: tmpl, ctx: ctx, stop: stop,
		cop:      http.NewCrossOriginProtection(),
		compare:  study.Compare,
		stopWait: runStopWait,
		sem:      make(chan struct{}, cfg.MaxConcurrent),
		jobs:     make(map[string]*job), pages: make(map[string]string),
	}
	static, _ := fs.Sub(staticFS, "static")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("POST /run", s.handleRun)
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("GET /result", s.handleResult)
	mux.HandleFunc("POST /cancel", s.handleCancel)
	mux.HandleFunc("GET /figure/{job}/{name}", s.handleFigure)
	mux.HandleFunc("GET /download", s.handleDownload)
	mux.HandleFunc("GET /scenario.yaml", s.handleJobYAML)
	mux.HandleFunc("POST /upload", s.handleUpload)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.handler = s.guard(mux)
	return s, nil
}

// Config returns the server's configuration with defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// Handler returns the lab's HTTP handler, with panic recovery, body
// limits and security headers applied.
func (s *Server) Handler() http.Handler { return s.handler }

// Shutdown bounds.
const (
	// httpStopWait bounds how long Serve waits for open requests before
	// closing their connections.
	httpStopWait = 2 * time.Second
	// runStopWait bounds how long Serve and Close wait for cancelled runs
	// to return. A run checks its context between replicates, so it
	// normally stops within milliseconds; one that does not is left
	// behind (and logged) rather than keeping the process alive.
	runStopWait = 5 * time.Second
)

// Serve serves the lab on ln until ctx is cancelled. Then, at the same
// time, it stops accepting connections (giving open requests
// httpStopWait before closing them) and cancels every run, and it waits
// up to runStopWait for the runs to return, logging those that did not.
// It returns nil after such a shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(s.cfg.Log, "lab: ", 0),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	deadline := time.Now().Add(s.stopWait)
	runsDone := s.cancelAll()
	sctx, cancel := context.WithTimeout(context.Background(), httpStopWait)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(s.cfg.Log, "lab: open requests did not finish within %s; closing their connections\n", httpStopWait)
		err = srv.Close()
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.awaitRuns(runsDone, deadline)
	return err
}

// Close refuses new runs, cancels every run and waits for them to return,
// at most runStopWait (each normally stops within milliseconds of being
// cancelled; one that does not is logged and left behind).
func (s *Server) Close() {
	deadline := time.Now().Add(s.stopWait)
	s.awaitRuns(s.cancelAll(), deadline)
}

// cancelAll makes the handler refuse new runs and cancels every run. The
// returned channel is closed when every run has returned.
func (s *Server) cancelAll() <-chan struct{} {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop(errStopping)
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	return done
}

// awaitRuns waits until the deadline for done and logs the runs still
// going if it is not closed by then.
func (s *Server) awaitRuns(done <-chan struct{}, deadline time.Time) {
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.mu.Lock()
		var ids []string
		for _, id := range s.order {
			if j := s.jobs[id]; j != nil && !j.over() {
				ids = append(ids, id)
			}
		}
		s.mu.Unlock()
		fmt.Fprintf(s.cfg.Log, "lab: %d run(s) did not stop within %s of being cancelled; leaving them behind: %s\n", len(ids), s.stopWait, strings.Join(ids, ", "))
	}
}

// guard wraps h with what every request gets: a recovered panic becomes a
// plain 500 message (the stack goes to the log, never to the page), the
// body is capped at MaxBody, a loopback server answers only to loopback
// host names (against DNS rebinding), a POST must come from the lab's own
// pages (crossOrigin), and responses carry a strict content security
// policy.
func (s *Server) guard(h http.Handler) http.Handler {
	loopback := IsLoopback(s.cfg.Addr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				fmt.Fprintf(s.cfg.Log, "lab: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				plainError(w, "Internal error: the lab could not handle this request. The server keeps running; go back and try again.", http.StatusInternalServerError)
			}
		}()
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		// same-origin, not no-referrer: under no-referrer browsers send
		// "Origin: null" on the page's own POSTs, which crossOrigin refuses.
		// Nothing is loaded from or linked to elsewhere, so no URL leaks.
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		if loopback && !loopbackHost(r.Host) {
			plainError(w, "This lab only answers to localhost, 127.0.0.1 or [::1].", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
			if err := s.crossOrigin(r); err != nil {
				plainError(w, "Cross-site request refused: only the lab's own pages may start, cancel or upload.", http.StatusForbidden)
				return
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		h.ServeHTTP(w, r)
	})
}

// crossOrigin refuses a state-changing request (POST /run, /cancel,
// /upload) that a browser sends on behalf of another site, with
// http.CrossOriginProtection: Sec-Fetch-Site must be same-origin or none
// (a user's own navigation) when present, else the Origin must name this
// host. It also refuses "Origin: null", which browsers send from
// sandboxed frames, data: URLs and other opaque origins: the lab's own
// pages never do (their Referrer-Policy is same-origin, under which a
// same-origin POST carries its real origin).
//
// Requests with neither Sec-Fetch-Site nor Origin are allowed on purpose.
// Every current browser sends Sec-Fetch-Site, and older ones send Origin
// on a POST, so such a request does not come from a page in a browser:
// it is a program (curl, a script) run by someone who can reach the lab
// directly, which on the default loopback address means a user of this
// machine, who could as well run entrench itself. That is no cross-site
// request forgery, and scripting the lab stays possible. Together with
// the Host check against DNS rebinding this covers the browser.
func (s *Server) crossOrigin(r *http.Request) error {
	if r.Header.Get("Origin") == "null" {
		return errors.New("lab: request from an opaque origin")
	}
	return s.cop.Check(r)
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return IsLoopback(net.JoinHostPort(host, "0"))
}

// plainError writes a short text error.
func plainError(w http.ResponseWriter, msg string, code int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Del("Content-Disposition")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// writeJSON writes v as JSON with the status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// wantsJSON reports whether the page's script made the request.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// builtinNames lists the built-in scenarios' names.
func builtinNames() []string {
	var names []string
	for _, b := range scenarios.Builtins() {
		names = append(names, b.Name)
	}
	return names
}

// builtinChoice returns the scenario a fresh page shows: baseline if it
// exists, else the first built-in.
// checkParticles checks that every particle of cfg's posterior is a valid
// setting of the baseline built-in scenario, so that a posterior with
// values out of range or keys the schema does not have is refused at start
// rather than at every run.
func checkParticles(cfg Config) error {
	p := cfg.Posterior
	if p == nil {
		return nil
	}
	name := builtinChoice()
	for i := range p.Particles {
		if _, err := scenarios.LoadBuiltin(name, p.Overrides(i)); err != nil {
			return fmt.Errorf("%w: posterior %s: particle %d is not a valid setting of the built-in %s: %w", ErrConfig, cfg.PosteriorFile, i+1, name, err)
		}
	}
	return nil
}

// posteriorLine says what the server's posterior does, naming its file,
// its particles and its parameters, or "" without a posterior.
func (s *Server) posteriorLine() string {
	p := s.cfg.Posterior
	if p == nil {
		return ""
	}
	var keyed, obs []string
	for i, k := range p.Keys {
		if k == "" {
			obs = append(obs, p.Names[i])
		} else {
			keyed = append(keyed, p.Names[i]+" ("+k+")")
		}
	}
	drawn := 0 // rows of weight 0 (an adjusted posterior's edge of the kernel) are never drawn
	for _, w := range p.Weights {
		if w > 0 {
			drawn++
		}
	}
	of := s.cfg.PosteriorFile
	if zero := len(p.Particles) - drawn; zero > 0 {
		of += fmt.Sprintf(" (its %d rows of weight 0 are never drawn)", zero)
	}
	line := fmt.Sprintf("Posterior ensemble: every replicate of A and B runs one of the %d particles of %s, drawn by weight (the same particle for both runs of a pair), with its values of %d parameters: %s.",
		drawn, of, len(keyed), strings.Join(keyed, ", "))
	if len(obs) > 0 {
		line += fmt.Sprintf(" Observation-model parameters play no part: %s.", strings.Join(obs, ", "))
	}
	return line + " A lever on one of these keys is overridden by the particle."
}

func builtinChoice() string {
	bs := scenarios.Builtins()
	for _, b := range bs {
		if b.Name == "baseline" {
			return b.Name
		}
	}
	if len(bs) > 0 {
		return bs[0].Name
	}
	return ""
}
