package sweep

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// schedule is the work of one session: the points of shard k of n that
// the journal does not hold yet.
type schedule struct {
	e     *Experiment
	jpath string // the journal
	done  []bool // by point: already in the journal
	k, n  int    // shard k of n
	// workers is the number of points computed at once, repWorkers the
	// replicate workers of each point.
	workers, repWorkers int
	opt                 Options
	// checkpoint rewrites the manifest with the progress.
	checkpoint func() error
}

// run computes the points not yet done, s.workers at a time, appending
// each to the journal as it finishes, and checkpoints as often as the
// options say. It returns ErrInterrupted when ctx is cancelled first.
func (s *schedule) run(ctx context.Context, rep *Report) error {
	jf, err := os.OpenFile(s.jpath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer jf.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results, busy := s.start(ctx)
	defer func() { rep.Busy += <-busy }()
	if err := s.collect(jf, results, rep, cancel); err != nil {
		return err
	}
	if rep.Done < rep.Points {
		return ErrInterrupted
	}
	return nil
}

// start feeds the points to s.workers goroutines until all are given out
// or ctx is cancelled. It returns the finished points, closed when every
// worker has stopped, and then the summed time the workers were busy.
func (s *schedule) start(ctx context.Context) (<-chan record, <-chan time.Duration) {
	p := newPlan(s.e)
	jobs := make(chan int)
	results := make(chan record, s.workers)
	busy := make(chan time.Duration, s.workers)
	busySum := make(chan time.Duration, 1)
	go func() {
		var sum time.Duration
		for d := range busy {
			sum += d
		}
		busySum <- sum
	}()
	var wg sync.WaitGroup
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				r, ok := evalPoint(ctx, s.e, p, i, s.repWorkers)
				busy <- time.Since(t0)
				if ok {
					results <- r
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := s.k; i < len(s.done); i += s.n {
			if s.done[i] {
				continue
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(busy)
		close(results)
	}()
	return results, busySum
}

// collect appends every finished point to the journal jf, counts it in rep,
// checkpoints and reports progress. On an error it cancels the work and
// drains results.
func (s *schedule) collect(jf *os.File, results <-chan record, rep *Report, cancel func()) error {
	everyTime, everyPoints := s.opt.checkpointEvery()
	var werr error
	lastSave, sinceSave := time.Now(), 0
	for r := range results {
		if werr != nil {
			continue
		}
		if _, err := jf.Write(r.encode()); err != nil {
			werr = err
		} else if err := jf.Sync(); err != nil {
			werr = err
		}
		if werr != nil {
			werr = fmt.Errorf("sweep: writing %s: %w", s.jpath, werr)
			cancel()
			continue
		}
		rep.Done++
		rep.Ran++
		if !r.ok() {
			rep.Failed++
		}
		if sinceSave++; sinceSave >= everyPoints || time.Since(lastSave) >= everyTime {
			if err := s.checkpoint(); err != nil {
				werr = err
				cancel()
				continue
			}
			lastSave, sinceSave = time.Now(), 0
		}
		if s.opt.Progress != nil {
			s.opt.Progress(rep.Done, rep.Points)
		}
	}
	return werr
}
