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
// When ctx is cancelled, no new replicate starts and replicates already
// running stop at their next tick; the replicates delivered are a complete
// prefix (a replicate cut short is not delivered, nor any after it), and
// Batch returns ErrInterrupted. A
// replicate that fails (a NaN, a panic in a rule) is delivered with Err set
// and does not stop the batch.
func Batch(ctx context.Context, m *Model, opt Options, sinks ...Sink) (Report, error) {
	return batch(ctx, []*Model{m}, opt, func(rs []*RunResult) error {
		for _, s := range sinks {
			if err := s.Consume(rs[0]); err != nil {
				return err
			}
		}
		return nil
	})
}

// batch runs replicates of every model in ms (replicate r of each model,
// one after the other, in the same worker) and delivers the results of
// each replicate together, in replicate order. A replicate counts as
// failed when any of its runs failed.
func batch(ctx context.Context, ms []*Model, opt Options, deliver func([]*RunResult) error) (Report, error) {
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
	pool := make(chan []*RunResult, window)
	for i := 0; i < window; i++ {
		rs := make([]*RunResult, len(ms))
		for j, m := range ms {
			rs[j] = &RunResult{Series: make([]float64, len(m.Metrics)*m.ticks()), Events: make([]EventRecord, 0, 32)}
		}
		pool <- rs
	}

	type job struct {
		rep int
		rs  []*RunResult
	}
	jobs := make(chan job)
	done := make(chan job, window)
	stop := make(chan struct{}) // closed when delivery fails
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := make([]*World, len(ms))
			for j, m := range ms {
				ws[j] = NewWorld(m)
				ws[j].fault = opt.fault
				ws[j].done = ctx.Done()
			}
			for jb := range jobs {
				for j, w := range ws {
					// A posterior ensemble picks the replicate's model.
					if mm := ms[j].ForReplicate(opt.Point, jb.rep); mm != w.m {
						w = NewWorld(mm)
						w.fault, w.done = opt.fault, ctx.Done()
						ws[j] = w
					}
					w.Reset(opt.Point, jb.rep, jb.rs[j])
					_ = w.Run()
				}
				done <- jb
			}
		}()
	}
	// Dispatcher: hands out replicates in order, at most window ahead of
	// delivery (each needs buffers from the pool).
	go func() {
		defer close(jobs)
		for r := opt.First; r < opt.First+opt.Runs; r++ {
			// Check first: select picks at random among ready cases, and
			// a cancelled batch must not start another replicate.
			if ctx.Err() != nil {
				return
			}
			var rs []*RunResult
			select {
			case <-ctx.Done():
				return
			case <-stop:
				return
			case rs = <-pool:
			}
			select {
			case <-ctx.Done():
				pool <- rs
				return
			case <-stop:
				pool <- rs
				return
			case jobs <- job{r, rs}:
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()

	// Collector: reorders results and delivers them. A replicate cut
	// short by cancellation ends the delivered prefix.
	pending := make(map[int][]*RunResult, window)
	next := opt.First
	var sinkErr error
	cut := false
	for jb := range done {
		pending[jb.rep] = jb.rs
		for {
			rs, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for _, r := range rs {
				cut = cut || errors.Is(r.Err, ErrInterrupted)
			}
			if sinkErr == nil && !cut {
				if err := deliver(rs); err != nil {
					sinkErr = err
					close(stop)
				} else {
					rep.Delivered++
					for _, r := range rs {
						if r.Err != nil {
							rep.Failed++
							break
						}
					}
					if opt.Progress != nil {
						opt.Progress(rep.Delivered, opt.Runs)
					}
				}
			}
			pool <- rs
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
