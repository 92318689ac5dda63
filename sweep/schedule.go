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
// options say.
func (s *schedule) run(ctx context.Context, rep *Report) error {
	e, jpath, done, k, n, workers, repWorkers := s.e, s.jpath, s.done, s.k, s.n, s.workers, s.repWorkers
	everyTime, everyPoints := s.opt.checkpointEvery()
	jf, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer jf.Close()
	p := newPlan(e)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan record, workers)
	busy := make(chan time.Duration, workers)
	var busySum time.Duration
	busyDone := make(chan struct{})
	go func() {
		for d := range busy {
			busySum += d
		}
		close(busyDone)
	}()
	defer func() {
		<-busyDone
		rep.Busy += busySum
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				r, ok := evalPoint(ctx, e, p, i, repWorkers)
				busy <- time.Since(t0)
				if !ok {
					continue
				}
				results <- r
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := k; i < len(done); i += n {
			if done[i] {
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
			werr = fmt.Errorf("sweep: writing %s: %w", jpath, werr)
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
	if werr != nil {
		return werr
	}
	if rep.Done < rep.Points {
		return ErrInterrupted
	}
	return nil
}
