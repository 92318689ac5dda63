package lab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/entrench/entrench/scenarios"
)

// page builds the page for scenario sc (choice) with the settings set.
func (s *Server) page(choiceValue string, sc *scenarios.Scenario, set settings, pageID string) *pageData {
	d := &pageData{
		Scenario: choiceValue, Name: sc.Name, Description: sc.Description, Period: period(sc), Horizon: sc.Horizon,
		Runs: set.Runs, MinRuns: MinRuns, MaxRuns: s.fitRuns(sc, sc), Seed: set.Seed, Page: pageID, MaxBodyKiB: s.cfg.MaxBody >> 10,
		Posterior: s.posteriorLine(),
	}
	for _, b := range scenarios.Builtins() {
		label := b.Name
		if b.Description != "" {
			label += " — " + b.Description
		}
		d.Choices = append(d.Choices, choice{Value: b.Name, Label: label, Selected: b.Name == choiceValue})
	}
	if id, ok := strings.CutPrefix(choiceValue, uploadPrefix); ok {
		if u := s.upload(id); u != nil {
			d.Choices = append(d.Choices, choice{Value: choiceValue, Label: "uploaded: " + u.file + " (" + sc.Name + ")", Selected: true})
		}
	}
	for _, l := range levers {
		v := leverView{Lever: l, ID: "lever-" + strings.NewReplacer(".", "-", "_", "-").Replace(l.Path),
			Base: l.Value(sc), Value: set.Values[l.Path], SliderMin: l.Min, SliderMax: l.Max, Note: leverNote(l, sc)}
		if l.SliderMax > 0 {
			v.SliderMax = l.SliderMax
		}
		v.On, v.BaseOn = !l.Keep || v.Value != -1, !l.Keep || v.Base != -1
		own := sideOwn(l, sc)
		if !v.On {
			v.Value = own
		}
		if !v.BaseOn {
			v.Base = own
		}
		v.SliderMax = max(v.SliderMax, v.Value, v.Base)
		if len(d.Groups) == 0 || d.Groups[len(d.Groups)-1].Name != l.Group {
			d.Groups = append(d.Groups, group{Name: l.Group})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Levers = append(g.Levers, v)
	}
	return d
}

// sideOwn returns the attention setting a Keep lever leaves in place: the
// lever's side's own floor or decay.
func sideOwn(l Lever, sc *scenarios.Scenario) float64 {
	if !l.Keep {
		return 0
	}
	for _, sd := range sc.Sides {
		if sd.Name == sc.Levers.USAttention.Side {
			if l.Path == "levers.us_attention.decay" {
				return sd.AttentionDecay
			}
			return sd.AttentionFloor
		}
	}
	return 0
}

// leverNote says when a lever takes effect, if not from the start, and
// whether scheduled events change it later.
func leverNote(l Lever, sc *scenarios.Scenario) string {
	set := l.spec.Setting(sc)
	from, before := set.From, set.Before
	if before == set.Value || l.Keep {
		before = 0 // nothing to say about the setting before
	}
	var parts []string
	if !from.IsZero() && from > sc.Start {
		p := "This scenario switches it on in " + from.String()
		if before != 0 {
			p += " (before that: " + formatValue(before) + ")"
		}
		parts = append(parts, p+".")
	}
	key := l.leverKey()
	for _, e := range sc.Events {
		if _, ok := e.Set[key]; ok && e.Kind == scenarios.EventLever {
			parts = append(parts, fmt.Sprintf("A scheduled event (%s, %s) sets it to %s.", e.Name, e.Date, formatValue(e.Set[key])))
		}
	}
	return strings.Join(parts, " ")
}

// render writes the page template.
func (s *Server) render(w http.ResponseWriter, code int, d *pageData) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "index.html", d); err != nil {
		fmt.Fprintf(s.cfg.Log, "lab: page template: %v\n", err)
		plainError(w, "Internal error: the page could not be drawn.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = buf.WriteTo(w)
}

// fresh renders a page for a scenario choice with its own settings, with
// the problems shown; an unknown choice falls back to the default.
func (s *Server) fresh(w http.ResponseWriter, code int, choiceValue string, probs, uploadProbs []string, uploadFile string) {
	if choiceValue == "" {
		choiceValue = builtinChoice()
	}
	sc, _, p := s.load(choiceValue)
	if sc == nil {
		probs = append(probs, p...)
		// Fall back to the baseline, or to any built-in within the caps.
		for _, c := range append([]string{builtinChoice()}, builtinNames()...) {
			if sc, _, _ = s.load(c); sc != nil {
				choiceValue = c
				break
			}
		}
		if sc == nil {
			plainError(w, "No scenario could be loaded: "+strings.Join(p, "; "), http.StatusInternalServerError)
			return
		}
		if code == http.StatusOK {
			code = http.StatusNotFound
		}
	}
	d := s.page(choiceValue, sc, s.defaults(choiceValue, sc), newID())
	d.Errors, d.UploadErrs, d.UploadFile = probs, uploadProbs, uploadFile
	s.render(w, code, d)
}

// handleIndex serves the page: a fresh one for ?scenario=, or the page of
// a run for ?job= (so the lab works without JavaScript).
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if id := q.Get("job"); id != "" {
		j := s.job(id)
		if j == nil {
			s.fresh(w, http.StatusNotFound, q.Get("scenario"), []string{"That run is no longer kept by the server; run it again."}, nil, "")
			return
		}
		sc, _, probs := s.load(j.set.Scenario)
		if sc == nil {
			s.fresh(w, http.StatusNotFound, "", probs, nil, "")
			return
		}
		d := s.page(j.set.Scenario, sc, j.set, j.page)
		d.Job = viewJob(j)
		s.render(w, http.StatusOK, d)
		return
	}
	c := q.Get("scenario")
	if c == "" {
		c = builtinChoice()
	}
	s.fresh(w, http.StatusOK, c, nil, nil, "")
}

// formError answers a bad form: JSON for the page's script, else the page
// with the problems listed.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, code int, choiceValue string, probs []string) {
	if wantsJSON(r) {
		writeJSON(w, code, map[string][]string{"errors": probs})
		return
	}
	s.fresh(w, code, choiceValue, probs, nil, "")
}

// parseForm parses the request's form within the body limit.
func parseForm(r *http.Request) (int, string) {
	if err := r.ParseForm(); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is larger than the lab accepts (%d KiB).", mb.Limit>>10)
		}
		return http.StatusBadRequest, "The form could not be read: " + err.Error()
	}
	return 0, ""
}

// handleRun starts a run from the form: A is the scenario as chosen, B
// the scenario with the levers. A newer run from the same page cancels
// the older one.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	if code, msg := parseForm(r); code != 0 {
		s.formError(w, r, code, "", []string{msg})
		return
	}
	page := r.PostForm.Get("page")
	if !validID(page) {
		s.formError(w, r, http.StatusBadRequest, r.PostForm.Get("scenario"), []string{"The page is missing its token; reload the page."})
		return
	}
	set, a, src, probs := s.parseSettings(r.PostForm)
	if len(probs) > 0 {
		s.formError(w, r, http.StatusBadRequest, set.Scenario, probs)
		return
	}
	a, b, probs := s.build(set, a, src)
	if len(probs) > 0 {
		s.formError(w, r, http.StatusBadRequest, set.Scenario, probs)
		return
	}
	j, err := s.start(page, set, a, b, src, set.overrides(a))
	if err != nil {
		msg := "The lab is busy with other runs; try again in a moment."
		if errors.Is(err, errStopping) {
			msg = "The server is stopping."
		}
		s.formError(w, r, http.StatusServiceUnavailable, set.Scenario, []string{msg})
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusAccepted, j.status())
		return
	}
	http.Redirect(w, r, "/?job="+j.id, http.StatusSeeOther)
}

// jobFrom finds the job named by the request's job parameter.
func (s *Server) jobFrom(w http.ResponseWriter, r *http.Request, id string) *job {
	j := s.job(id)
	if j == nil {
		writeJSON(w, http.StatusNotFound, map[string][]string{"errors": {"No such run: it finished long ago or never existed. Run again."}})
	}
	return j
}

// handleStatus reports a run's progress as JSON.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	if j := s.jobFrom(w, r, r.URL.Query().Get("job")); j != nil {
		writeJSON(w, http.StatusOK, j.status())
	}
}

// handleCancel cancels a run.
func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	if code, msg := parseForm(r); code != 0 {
		plainError(w, msg, code)
		return
	}
	j := s.jobFrom(w, r, r.PostForm.Get("job"))
	if j == nil {
		return
	}
	j.cancel(errCancelled)
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, j.status())
		return
	}
	http.Redirect(w, r, "/?job="+j.id, http.StatusSeeOther)
}

// handleResult serves the result of a finished run as an HTML fragment.
func (s *Server) handleResult(w http.ResponseWriter, r *http.Request) {
	j := s.jobFrom(w, r, r.URL.Query().Get("job"))
	if j == nil {
		return
	}
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "result", viewJob(j)); err != nil {
		fmt.Fprintf(s.cfg.Log, "lab: result template: %v\n", err)
		plainError(w, "Internal error: the result could not be drawn.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// handleFigure serves a figure of a finished run as SVG.
func (s *Server) handleFigure(w http.ResponseWriter, r *http.Request) {
	j := s.job(r.PathValue("job"))
	name, ok := strings.CutSuffix(r.PathValue("name"), ".svg")
	var res *result
	if j != nil {
		res, _ = j.result()
	}
	if !ok || res == nil || res.figs[name] == nil {
		plainError(w, "No such figure.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(res.figs[name])
}

// handleDownload writes the form's settings as scenario B's YAML.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	if code, msg := parseForm(r); code != 0 {
		s.formError(w, r, code, "", []string{msg})
		return
	}
	set, a, src, probs := s.parseSettings(r.Form)
	if len(probs) == 0 {
		var b *scenarios.Scenario
		if a, b, probs = s.build(set, a, src); len(probs) == 0 {
			s.writeYAML(w, a, b)
			return
		}
	}
	s.formError(w, r, http.StatusBadRequest, set.Scenario, probs)
}

// handleJobYAML writes the B scenario of a run as YAML.
func (s *Server) handleJobYAML(w http.ResponseWriter, r *http.Request) {
	j := s.job(r.URL.Query().Get("job"))
	if j == nil {
		plainError(w, "No such run: it finished long ago or never existed.", http.StatusNotFound)
		return
	}
	s.writeYAML(w, j.a, j.b)
}

// writeYAML writes b as a scenario file that `entrench run` accepts and
// that reproduces the lab's B numbers (it carries the runs and seed).
func (s *Server) writeYAML(w http.ResponseWriter, a, b *scenarios.Scenario) {
	data, err := scenarios.Marshal(b)
	if err != nil {
		fmt.Fprintf(s.cfg.Log, "lab: marshal %s: %v\n", b.Name, err)
		plainError(w, "Internal error: the scenario could not be written.", http.StatusInternalServerError)
		return
	}
	// With a posterior, the commands need it too.
	post := ""
	if s.cfg.Posterior != nil {
		post = " --posterior " + shellWord(s.cfg.PosteriorFile)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Scenario made in the entrench policy lab: %s\n", b.Description)
	fmt.Fprintf(&buf, "# It carries the lab's replicates (runs: %d) and seed (seed: %d), so\n", b.Runs, b.Seed)
	fmt.Fprintf(&buf, "#   entrench run %s.yaml%s\n", b.Name, post)
	fmt.Fprintf(&buf, "# reproduces the lab's numbers for B, and\n")
	fmt.Fprintf(&buf, "#   entrench compare %s %s.yaml --runs %d --seed %d%s\n", a.Name, b.Name, b.Runs, b.Seed, post)
	fmt.Fprintf(&buf, "# the whole comparison (when %s is a built-in scenario).\n", a.Name)
	buf.Write(data)
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+b.Name+`.yaml"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// shellWord returns s as one shell word on one line: as it is when it
// holds only letters, digits and ._/-, else Go-quoted.
func shellWord(s string) string {
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("._/-", c)) {
			return strconv.Quote(s)
		}
	}
	return s
}

// handleUpload loads an uploaded scenario file with the strict loader; on
// success the page switches to it, otherwise it lists the positioned
// problems.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	current := r.URL.Query().Get("scenario")
	if err := r.ParseMultipartForm(s.cfg.MaxBody); err != nil {
		var mb *http.MaxBytesError
		msg := "The upload could not be read: " + err.Error()
		code := http.StatusBadRequest
		if errors.As(err, &mb) {
			msg, code = fmt.Sprintf("The file is larger than the lab accepts (%d KiB).", mb.Limit>>10), http.StatusRequestEntityTooLarge
		}
		s.fresh(w, code, current, nil, []string{msg}, "")
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	if c := r.PostForm.Get("scenario"); c != "" {
		current = c
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.fresh(w, http.StatusBadRequest, current, nil, []string{"Choose a scenario file (.yaml) to upload."}, "")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxBody+1))
	if err != nil || int64(len(data)) > s.cfg.MaxBody {
		s.fresh(w, http.StatusRequestEntityTooLarge, current, nil, []string{fmt.Sprintf("The file is larger than the lab accepts (%d KiB).", s.cfg.MaxBody>>10)}, "")
		return
	}
	name := cleanName(hdr.Filename)
	sc, err := scenarios.Load(name, data, nil)
	if err != nil {
		s.fresh(w, http.StatusBadRequest, current, nil, problems(err), name)
		return
	}
	if probs := s.checkScenario(sc); len(probs) > 0 {
		for i, p := range probs {
			probs[i] = name + ": " + p
		}
		s.fresh(w, http.StatusBadRequest, current, nil, probs, name)
		return
	}
	u := &upload{id: newID(), file: name, data: data}
	s.addUpload(u)
	http.Redirect(w, r, "/?scenario="+uploadPrefix+u.id, http.StatusSeeOther)
}
