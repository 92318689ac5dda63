package reference

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var (
	fenceRE  = regexp.MustCompile("(?ms)^```.*?^```")
	codeRE   = regexp.MustCompile("`[^`\n]*`")
	linkRE   = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	headerRE = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
)

// slug is GitHub's anchor for a heading: lower case, punctuation dropped,
// spaces to hyphens.
func slug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// anchors returns the heading anchors of a Markdown file, with GitHub's
// -1, -2 suffixes for repeated headings.
func anchors(text string) map[string]bool {
	text = fenceRE.ReplaceAllString(text, "")
	seen := map[string]int{}
	out := map[string]bool{}
	for _, m := range headerRE.FindAllStringSubmatch(text, -1) {
		s := slug(strings.ReplaceAll(m[1], "`", ""))
		if n := seen[s]; n > 0 {
			out[s+"-"+itoa(n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestLinks checks every relative link in README.md and docs/**/*.md: the
// file or folder exists, and an #anchor into a Markdown file names one of
// its headings.
func TestLinks(t *testing.T) {
	root := ".."
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cache := map[string]map[string]bool{}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := codeRE.ReplaceAllString(fenceRE.ReplaceAllString(string(data), ""), "")
		for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			target, anchor, _ := strings.Cut(link, "#")
			dest := f
			if target != "" {
				dest = filepath.Join(filepath.Dir(f), filepath.FromSlash(target))
			}
			checked++
			if _, err := os.Stat(dest); err != nil {
				t.Errorf("%s: link %q: %s does not exist", f, link, dest)
				continue
			}
			if anchor == "" || !strings.HasSuffix(dest, ".md") {
				continue
			}
			if cache[dest] == nil {
				d, err := os.ReadFile(dest)
				if err != nil {
					t.Fatal(err)
				}
				cache[dest] = anchors(string(d))
			}
			if !cache[dest][anchor] {
				t.Errorf("%s: link %q: %s has no heading with anchor #%s", f, link, dest, anchor)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d relative links checked: is the link pattern broken?", checked)
	}
	t.Logf("%d relative links in %d files", checked, len(files))
}

func TestSlug(t *testing.T) {
	for h, want := range map[string]string{
		"7.18 Parameters":                         "718-parameters",
		"Overrides: --set key.path=value":         "overrides---set-keypathvalue",
		"Reading the outputs in pandas and R":     "reading-the-outputs-in-pandas-and-r",
		"Students' guide: the policy lab":         "students-guide-the-policy-lab",
		"Sweeps and sensitivity (entrench sweep)": "sweeps-and-sensitivity-entrench-sweep",
	} {
		if got := slug(h); got != want {
			t.Errorf("slug(%q) = %q, want %q", h, got, want)
		}
	}
}
