package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Sink receives run results in replicate order. The RunResult is reused
// after Consume returns, so a sink must copy whatever it keeps. Returning
// an error stops the batch.
type Sink interface {
	Consume(r *RunResult) error
}

// Options configure a Batch.
type Options struct {
	// Runs is the number of replicates, >= 1.
	Runs int
	// First is the number of the first replicate (default 0). Replicate
	// numbers, not positions, seed the random streams, so runs
	// First..First+Runs-1 are identical whichever batch computes them.
	First int
	// Point is the design point number mixed into every stream (0 for a
	// plain run).
	Point int
	// Workers is the number of goroutines; zero or less means
	// runtime.NumCPU().
	Workers int
	// Progress, if not nil, is called after each result is delivered to
	// the sinks, with the number delivered and the total. It is called
	// from one goroutine.
	Progress func(done, total int)

	// fault is a test hook: called at the start of every replicate.
	fault func(rep int)
}

// Report says how a batch ended.
type Report struct {
	// Delivered counts results passed to the sinks (successful or
	// failed), always a prefix First..First+Delivered-1.
	Delivered int
	// Failed counts replicates that returned an error.
	Failed int
	// Interrupted is true when the context was cancelled before all runs
	// were delivered.
	Interrupted bool
}

// ErrInterrupted is returned by Batch when its context is cancelled.
var ErrInterrupted = errors.New("sim: batch interrupted")

// Batch runs opt.Runs replicates of m in parallel and passes every result
// to the sinks in replicate order, never in completion order, so that
// streamed files and floating-point sums are the same for any number of
// workers. At most a few results per worker are in memory at once.
//
// When ctx is cancelled, no new replicate starts; replicates already
// running finish (each takes milliseconds) and are delivered, so the
// output is a complete prefix; Batch then returns ErrInterrupted. A
// replicate that fails (a NaN, a panic in a rule) is delivered with Err set
// and does not stop the batch.
func Batch(ctx context.Context, m *Model, opt Options, sinks ...Sink) (Report, error) {
	var rep Report
	if opt.Runs < 1 {
		return rep, fmt.Errorf("sim: runs must be at least 1, got %d", opt.Runs)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if workers > opt.Runs {
		workers = opt.Runs
	}
	window := 4 * workers
	size := len(m.Metrics) * m.ticks()
	pool := make(chan *RunResult, window)
	for i := 0; i < window; i++ {
		pool <- &RunResult{Series: make([]float64, size), Events: make([]EventRecord, 0, 32)}
	}

	type job struct {
		rep int
		res *RunResult
	}
	jobs := make(chan job)
	done := make(chan *RunResult, window)
	stop := make(chan struct{}) // closed when a sink fails
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := NewWorld(m)
			w.fault = opt.fault
			for j := range jobs {
				w.Reset(opt.Point, j.rep, j.res)
				_ = w.Run()
				done <- j.res
			}
		}()
	}
	// Dispatcher: hands out replicates in order, at most window ahead of
	// delivery (each needs a buffer from the pool).
	go func() {
		defer close(jobs)
		for r := opt.First; r < opt.First+opt.Runs; r++ {
			var res *RunResult
			select {
			case <-ctx.Done():
				return
			case <-stop:
				return
			case res = <-pool:
			}
			select {
			case <-ctx.Done():
				pool <- res
				return
			case <-stop:
				pool <- res
				return
			case jobs <- job{r, res}:
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()

	// Collector: reorders results and delivers them.
	pending := make(map[int]*RunResult, window)
	next := opt.First
	var sinkErr error
	for res := range done {
		pending[res.Replicate] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if sinkErr == nil {
				for _, s := range sinks {
					if err := s.Consume(r); err != nil {
						sinkErr = err
						close(stop)
						break
					}
				}
				if sinkErr == nil {
					rep.Delivered++
					if r.Err != nil {
						rep.Failed++
					}
					if opt.Progress != nil {
						opt.Progress(rep.Delivered, opt.Runs)
					}
				}
			}
			pool <- r
		}
	}
	if sinkErr != nil {
		return rep, sinkErr
	}
	if rep.Delivered < opt.Runs {
		rep.Interrupted = true
		return rep, ErrInterrupted
	}
	return rep, nil
}
