package lab

import (
	"path/filepath"
	"strings"
	"unicode"
)

// The upload cache: scenario files uploaded to the lab, kept in memory
// for the pages that chose them.

// maxUploads is how many uploaded scenarios the server keeps, in memory.
const maxUploads = 32

// upload is an uploaded scenario file that loaded without problems.
type upload struct {
	id, file string
	data     []byte
}

func (s *Server) upload(id string) *upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.uploads {
		if u.id == id {
			return u
		}
	}
	return nil
}

func (s *Server) addUpload(u *upload) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.uploads) >= maxUploads {
		s.uploads = s.uploads[1:]
	}
	s.uploads = append(s.uploads, u)
}

// cleanName reduces an uploaded file's name to a short base name of
// printable characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, name)
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	if name == "" || name == "." || name == "/" {
		name = "upload.yaml"
	}
	return name
}
