package sweep

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// LockFile is the lock a session holds on a sweep folder while it runs,
// resumes or merges into it, so that two sessions never write the same
// journal. It is created exclusively (O_EXCL) and holds the owner's pid,
// host and, under Slurm, job id and restart count; it is removed when the
// session ends. A session killed outright (kill -9, a lost node) leaves
// it behind: a later session takes it over when the owner is known to be
// gone (same host and no process with that pid, or the same Slurm job
// requeued), and otherwise refuses with ErrLocked, naming the owner.
const LockFile = ".lock"

// lockHolder is the content of a LockFile.
type lockHolder struct {
	PID          int       `json:"pid"`
	Host         string    `json:"host"`
	Token        string    `json:"token"` // tells this process from an earlier one with the same pid
	SlurmJob     string    `json:"slurm_job_id,omitempty"`
	SlurmRestart string    `json:"slurm_restart_count,omitempty"`
	Since        time.Time `json:"since"`
}

// processToken identifies this process among those with its pid: 64
// random bits from crypto/rand, drawn once.
var processToken = sync.OnceValue(func() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return strconv.FormatUint(binary.LittleEndian.Uint64(b[:]), 36)
})

// currentHolder describes this session, running in Slurm job slurm (zero
// outside Slurm).
func currentHolder(slurm SlurmJob) lockHolder {
	host, _ := os.Hostname()
	return lockHolder{
		PID: os.Getpid(), Host: host, Token: processToken(),
		SlurmJob: slurm.ID, SlurmRestart: slurm.Restart,
		Since: time.Now().UTC().Truncate(time.Second),
	}
}

// folderLock is a held LockFile.
type folderLock struct{ path string }

// lockFolder takes the lock on sweep folder dir, which must exist.
// slurm identifies the session's Slurm job, if any.
func lockFolder(dir string, slurm SlurmJob) (*folderLock, error) {
	path := filepath.Join(dir, LockFile)
	me := currentHolder(slurm)
	b, err := json.Marshal(&me)
	if err != nil {
		return nil, err
	}
	b = append(b, '\n')
	for range 3 {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.Write(b)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				os.Remove(path)
				return nil, fmt.Errorf("sweep: writing %s: %w", path, werr)
			}
			return &folderLock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("sweep: locking %s: %w", dir, err)
		}
		old, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("sweep: reading %s: %w", path, err)
		}
		var h lockHolder
		if json.Unmarshal(old, &h) != nil || h.PID <= 0 {
			// Torn by a crash, or being written right now.
			if st, err := os.Stat(path); err == nil && time.Since(st.ModTime()) < 10*time.Second {
				return nil, fmt.Errorf("%w: %s is being locked by another session; if none runs, delete %s", ErrLocked, dir, path)
			}
		} else if !h.stale(me) {
			return nil, fmt.Errorf("%w: %s is in use by another session (pid %d on %s since %s); wait for it to end, or, if no entrench session runs there any more, delete %s",
				ErrLocked, dir, h.PID, h.Host, h.Since.Format(time.RFC3339), path)
		}
		// Take over a stale lock, unless it changed since it was read.
		if now, err := os.ReadFile(path); err == nil && string(now) == string(old) {
			os.Remove(path)
		}
	}
	return nil, fmt.Errorf("%w: could not take the lock %s", ErrLocked, path)
}

// stale reports whether the session that wrote lock h is known to have
// ended, as seen by session me.
func (h *lockHolder) stale(me lockHolder) bool {
	if h.Host == me.Host && h.Host != "" {
		if h.PID == me.PID {
			return h.Token != me.Token // an earlier process with our pid
		}
		return !processAlive(h.PID)
	}
	// Slurm runs one incarnation of a job at a time: a requeued job (on
	// any node) may take over the lock of its previous run.
	return h.SlurmJob != "" && h.SlurmJob == me.SlurmJob && h.SlurmRestart != me.SlurmRestart
}

// release removes the lock, if it is still this session's.
func (l *folderLock) release() {
	if l == nil {
		return
	}
	b, err := os.ReadFile(l.path)
	if err != nil {
		return
	}
	var h lockHolder
	if json.Unmarshal(b, &h) == nil && h.PID == os.Getpid() && h.Token == processToken() {
		os.Remove(l.path)
	}
}
