package calibrate

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/entrench/entrench/abc"
)

// abandonedFile records, in the checkpoint folder, a generation that a job
// chain abandoned (under the budget or the minimum acceptance), so that
// the chain and Finish know the calibration has ended: "GEN STOP".
const abandonedFile = "abandoned.txt"

// ChainState says what a job chain does next.
type ChainState struct {
	// Done is true when the calibration has ended, for Stop's reason;
	// the outputs are then written with Finish.
	Done bool
	Stop abc.Stop
	// Generation is the generation to compute and First the first
	// attempt the next round of shard jobs evaluates.
	Generation, First int
}

// String formats the state as one line that scripts can read:
// "done STOP" or "generation G first F".
func (s ChainState) String() string {
	if s.Done {
		return "done " + string(s.Stop)
	}
	return fmt.Sprintf("generation %d first %d", s.Generation, s.First)
}

// abandoned returns the stop recorded for generation gen, or "".
func abandoned(dir string, gen int) abc.Stop {
	b, err := os.ReadFile(filepath.Join(dir, abandonedFile))
	if err != nil {
		return ""
	}
	g, stop, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	if n, err := strconv.Atoi(g); err != nil || n != gen {
		return ""
	}
	return abc.Stop(stop)
}

// step returns the step of the next generation, or the state that ends
// the chain.
func (c *Calibration) step(o Options) (*abc.Step, *abc.Generation, ChainState, error) {
	s := c.settings(o)
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, nil, ChainState{}, err
	}
	st, last, stop, err := abc.NextStep(s.Dir, c.Problem(), s)
	if err != nil {
		return nil, nil, ChainState{}, err
	}
	if st == nil {
		return nil, last, ChainState{Done: true, Stop: stop}, nil
	}
	if stop := abandoned(s.Dir, st.Generation()); stop != "" {
		return nil, last, ChainState{Done: true, Stop: stop}, nil
	}
	return st, last, ChainState{Generation: st.Generation()}, nil
}

// RoundSize is the number of attempts one round of shard jobs evaluates
// in all: Particles divided by half the acceptance rate of the previous
// generation (all of the first generation's attempts are accepted), as
// abc's documentation suggests.
func RoundSize(particles int, prev *abc.Generation) int {
	rate := 1.0
	if prev != nil {
		rate = prev.Stats().Acceptance / 2
	}
	return int(math.Ceil(float64(particles) / rate))
}

// Shard evaluates shard k (0-based) of n of the round of the next
// generation that starts at attempt first, and writes it into the
// checkpoint folder. The round covers RoundSize attempts split evenly.
// It returns the attempt range evaluated and how many were accepted.
func (c *Calibration) Shard(ctx context.Context, o Options, k, n, first int) (*abc.Shard, error) {
	if n < 1 || k < 0 || k >= n || first < 0 {
		return nil, fmt.Errorf("calibrate: bad shard %d/%d from attempt %d", k+1, n, first)
	}
	st, last, state, err := c.step(o)
	if err != nil {
		return nil, err
	}
	if state.Done {
		return nil, fmt.Errorf("calibrate: the calibration has ended (%s); nothing to evaluate", state.Stop)
	}
	s := c.settings(o)
	particles := c.Settings.Particles
	if particles == 0 {
		particles = abc.DefaultParticles
	}
	per := (RoundSize(particles, last) + n - 1) / n
	lo := first + k*per
	hi := lo + per
	if limit, _ := st.Limit(); hi > limit {
		hi = max(limit, lo)
	}
	sh, err := st.Evaluate(ctx, lo, hi-lo, s.Workers)
	if err != nil {
		return nil, err
	}
	return sh, abc.WriteShard(s.Dir, c.Problem(), s, sh)
}

// Assemble merges the shards of the next generation written so far. When
// they complete it, the generation is written; when they do not, the
// state names the first attempt of the next round; when the generation
// must be abandoned, the chain ends. It returns what to do next.
func (c *Calibration) Assemble(o Options) (ChainState, error) {
	st, _, state, err := c.step(o)
	if err != nil || state.Done {
		return state, err
	}
	s := c.settings(o)
	p := c.Problem()
	shards, err := abc.ReadShards(s.Dir, st.Generation(), p, s)
	if err != nil {
		return state, err
	}
	if len(shards) == 0 {
		return state, nil
	}
	g, next, stop, err := st.Assemble(shards, 0)
	if err != nil {
		return state, err
	}
	switch {
	case stop != "":
		rec := fmt.Sprintf("%d %s\n", st.Generation(), stop)
		if err := os.WriteFile(filepath.Join(s.Dir, abandonedFile), []byte(rec), 0o644); err != nil {
			return state, err
		}
		return ChainState{Done: true, Stop: stop}, nil
	case g == nil:
		state.First = next
		return state, nil
	}
	if err := abc.WriteGeneration(s.Dir, p, s, g); err != nil {
		return state, err
	}
	if o.Progress != nil {
		o.Progress(g.Stats())
	}
	_, _, state, err = c.step(o)
	return state, err
}

// State returns what a job chain does next, without changing anything:
// the first attempt not yet covered by the shards written, if they do not
// complete the generation. (While a round's shard jobs run, the shards
// may leave gaps, and State returns an error.)
func (c *Calibration) State(o Options) (ChainState, error) {
	st, _, state, err := c.step(o)
	if err != nil || state.Done {
		return state, err
	}
	s := c.settings(o)
	shards, err := abc.ReadShards(s.Dir, st.Generation(), c.Problem(), s)
	if err != nil || len(shards) == 0 {
		return state, err
	}
	_, next, stop, err := st.Assemble(shards, 0)
	switch {
	case err != nil:
		return state, err
	case stop != "":
		return ChainState{Done: true, Stop: stop}, nil
	}
	// Complete shards (g != nil) await --assemble: First points past them.
	state.First = next
	return state, nil
}
