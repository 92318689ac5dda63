package observed

import (
	"errors"
	"testing"
)

func TestEmbedded(t *testing.T) {
	d, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	s := d.Series["icews_coop_share_USA_RUS"]
	if len(s) != 13 || !s[0].Yearly || s[0].Date.Year() != 2002 || s[12].Date.Year() != 2014 || s[12].Value != 0.6794 {
		t.Errorf("ICEWS USA-RUS: %d points, first %+v, last %+v", len(s), s[0], s[len(s)-1])
	}
	if len(d.Facts) != 30 {
		t.Errorf("%d facts, want 30 (README.md)", len(d.Facts))
	}
	if f := d.Facts["nrc_2008_suspended"]; f.Date.String() != "2008-08" || f.Kind != "suspension" || f.Channel != "political" {
		t.Errorf("nrc_2008_suspended: %+v", f)
	}
}

func TestParseBad(t *testing.T) {
	head := "date,series,value,unit,uncertainty,source_id,note\n"
	facts := []byte("date,fact_id,kind,channel,value,source_id,note\n")
	for name, series := range map[string]string{
		"bad date":   head + "20x2,a,1,u,,s,n\n",
		"bad value":  head + "2002,a,x,u,,s,n\n",
		"bad header": "date,series\n2002,a\n",
		"fields":     head + "2002,a,1\n",
	} {
		if _, err := Parse([]byte(series), facts); !errors.Is(err, ErrData) {
			t.Errorf("%s: error %v does not wrap ErrData", name, err)
		}
	}
}
