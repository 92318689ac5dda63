package sweep

import (
	"os"
	"path/filepath"
)

// This file exports the journal, lock and shard machinery for other
// resumable, shardable batches (the claims' robustness draws), so that
// they keep the sweep's guarantees: a point appended and synced as soon as
// it finishes, a torn last line dropped on resume, one session per folder,
// shard k of n holding the points i with i mod n == k, and a merge that
// sorts the shards' lines into point order.

// Stat is one metric of a journal record: the mean and standard deviation
// of a quantity over N replicates.
type Stat struct {
	Mean, SD float64
	N        int
}

// Record is one line of a journal (see JournalFile): a finished point with
// its replicates and one Stat per metric, or, when Fails is not empty, a
// failed point.
type Record struct {
	Point, Reps int
	Stats       []Stat
	// Fails lists the failed replicates (-1 for the whole point) and
	// their messages.
	Fails []Failure
}

// Failure is one failure of a failed Record.
type Failure struct {
	Rep int
	Msg string
}

func (r Record) internal() record {
	in := record{point: r.Point, reps: r.Reps}
	for _, s := range r.Stats {
		in.stats = append(in.stats, metricStat{s.Mean, s.SD, s.N})
	}
	for _, f := range r.Fails {
		in.fails = append(in.fails, failure{f.Rep, f.Msg})
	}
	return in
}

func external(in record) Record {
	r := Record{Point: in.point, Reps: in.reps}
	for _, s := range in.stats {
		r.Stats = append(r.Stats, Stat{s.mean, s.sd, s.n})
	}
	for _, f := range in.fails {
		r.Fails = append(r.Fails, Failure{f.rep, f.msg})
	}
	return r
}

// Encode returns the journal line of r, with its checksum and newline.
func (r Record) Encode() []byte {
	in := r.internal()
	return in.encode()
}

// AppendRecord appends r to the open journal f and syncs it.
func AppendRecord(f *os.File, r Record) error {
	if _, err := f.Write(r.Encode()); err != nil {
		return err
	}
	return f.Sync()
}

// ScanJournal calls fn for every valid record of the journal in folder
// dir (file JournalFile) of a batch with the given number of metrics and
// points, in file order, and returns the length of the valid prefix; a
// torn or corrupt line ends the scan. A missing journal is empty.
func ScanJournal(dir string, metrics, points int, fn func(Record)) (int64, error) {
	return scanJournal(filepath.Join(dir, JournalFile), metrics, points, func(r record, _ journalEntry) { fn(external(r)) })
}

// SortJournals writes the journal of folder dir with the records of the
// journals in folders srcs (dir may be one of them) in point order, the
// first record of a point winning, atomically.
func SortJournals(dir string, srcs []string, metrics, points int) error {
	paths := make([]string, len(srcs))
	for i, s := range srcs {
		paths[i] = filepath.Join(s, JournalFile)
	}
	return sortJournal(dir, paths, metrics, points, nil)
}

// Lock is a held LockFile on a folder.
type Lock struct{ l *folderLock }

// LockDir takes the lock on folder dir, which must exist, for a session
// of Slurm job slurm (zero outside Slurm). It returns an error wrapping
// ErrLocked when another live session holds it.
func LockDir(dir string, slurm SlurmJob) (*Lock, error) {
	l, err := lockFolder(dir, slurm)
	if err != nil {
		return nil, err
	}
	return &Lock{l}, nil
}

// Release removes the lock if it is still this session's; a nil Lock is
// a no-op.
func (l *Lock) Release() {
	if l != nil {
		l.l.release()
	}
}

// ShardSize is the number of points i < points with i mod n == k.
func ShardSize(points, k, n int) int { return shardSize(points, k, n) }

// CheckShard returns the normalized shard k of n (0 of 1 when n <= 0), or
// an error when k is outside 0..n-1.
func CheckShard(k, n int) (int, int, error) {
	return shardOf(Options{Shard: k, Shards: n})
}
