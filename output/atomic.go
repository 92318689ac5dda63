package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrClosed is returned by writes to an AtomicFile or a RunWriter that was
// already committed or aborted.
var ErrClosed = errors.New("output: file already committed or aborted")

// AtomicFile is a file that appears under its final name only when it is
// complete. Create opens a temporary file ".<name>.<random>.tmp" in the
// destination folder (the same file system, so the rename is atomic);
// Commit flushes it to disk and renames it into place; Abort removes it.
// The usual pattern is
//
//	f, err := CreateAtomic(dir, name)
//	if err != nil { return err }
//	defer f.Abort() // no-op after a successful Commit
//	... write to f ...
//	return f.Commit()
//
// An AtomicFile is not safe for concurrent use.
type AtomicFile struct {
	f    *os.File
	path string // final path
	done bool
}

// CreateAtomic starts writing the file name in folder dir, which must
// exist. An existing file of that name is left untouched until Commit
// replaces it.
func CreateAtomic(dir, name string) (*AtomicFile, error) {
	if name == "" || filepath.Base(name) != name {
		return nil, fmt.Errorf("output: bad file name %q", name)
	}
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return &AtomicFile{f: f, path: filepath.Join(dir, name)}, nil
}

// Name returns the final path of the file (folder and name).
func (a *AtomicFile) Name() string { return a.path }

// Write writes to the temporary file.
func (a *AtomicFile) Write(p []byte) (int, error) {
	if a.done {
		return 0, ErrClosed
	}
	return a.f.Write(p)
}

// Commit syncs and closes the temporary file and renames it to its final
// name, replacing any file there. On failure the temporary file is removed
// and the final name is untouched. Commit after Commit or Abort returns
// ErrClosed.
func (a *AtomicFile) Commit() error {
	if a.done {
		return ErrClosed
	}
	a.done = true
	tmp := a.f.Name()
	err := a.f.Sync()
	if e := a.f.Close(); err == nil {
		err = e
	}
	if err == nil {
		// CreateTemp makes the file 0600; outputs are ordinary files.
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("output: writing %s: %w", a.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file, leaving the final name
// untouched. It is a no-op after Commit or a previous Abort, so it can be
// deferred.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}

// WriteFileAtomic writes the bytes b as the whole file name in folder dir,
// atomically: readers see the old file or the new one, never a part.
func WriteFileAtomic(dir, name string, b []byte) error {
	return writeAtomic(dir, name, func(f *AtomicFile) error {
		_, err := f.Write(b)
		return err
	})
}

// writeAtomic writes a whole file atomically with fill.
func writeAtomic(dir, name string, fill func(*AtomicFile) error) error {
	f, err := CreateAtomic(dir, name)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := fill(f); err != nil {
		return fmt.Errorf("output: writing %s: %w", f.Name(), err)
	}
	return f.Commit()
}
