package lab

// The view models: what the page template shows.

// pageData is what the page template shows.
type pageData struct {
	Choices     []choice
	Scenario    string
	Name        string
	Description string
	Period      string
	Horizon     int
	Groups      []group
	Runs        int
	MinRuns     int
	MaxRuns     int // the cap, or fewer when the work cap allows fewer
	Seed        uint64
	Page        string
	Errors      []string
	UploadErrs  []string
	UploadFile  string
	MaxBodyKiB  int64
	Job         *jobView
	// Posterior says which posterior ensemble the runs draw from; "" when
	// the lab has none.
	Posterior string
}

// choice is an option of the scenario menu.
type choice struct {
	Value, Label string
	Selected     bool
}

// group is a heading of levers.
type group struct {
	Name   string
	Levers []leverView
}

// leverView is a lever with its setting for the page.
type leverView struct {
	Lever
	ID string
	// Value is the setting shown; Base the scenario's. For a Keep lever at
	// -1 they show the side's own setting and On/BaseOn are false.
	Value, Base float64
	On, BaseOn  bool
	SliderMin   float64
	SliderMax   float64
	Note        string
}

// jobView is a job as the page shows it.
type jobView struct {
	ID, State, Message string
	Done               int64
	Total              int
	Seed               uint64
	Name, NameB        string
	Over               bool
	Result             *result
	Posterior          string
}

func viewJob(j *job) *jobView {
	st := j.status()
	res, _ := j.result()
	return &jobView{ID: j.id, State: st.State, Message: st.Message, Done: st.Done, Total: st.Total, Seed: j.set.Seed,
		Name: j.a.Name, NameB: j.b.Name, Over: j.over(), Result: res, Posterior: j.posterior}
}
