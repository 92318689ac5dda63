package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/entrench/entrench/scenarios"
)

func ExampleLoad() {
	src := []byte(`name: demo
sides:
  - {name: moscow, bloc: east}
  - {name: washington, bloc: west}
organizations:
  - {name: gazprom, side: moscow, kind: energy, influnce: 2}
  - {name: state, side: washingon, kind: diplomatic}
channels:
  - {name: tapi, kind: energy, participants: [gazprom, state], capacity: 1.5}
`)
	_, err := scenarios.Load("demo.yaml", src, nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, scenarios.ErrReference))
	// Output:
	// demo.yaml:6:49: organizations[0].influnce: unknown key "influnce" (did you mean "influence"?); allowed keys: name, side, kind, influence, autonomy_sensitivity, officials, disposition, disposition_sd, opposes, description
	// demo.yaml:7:25: organizations[1].side: unknown side "washingon" (did you mean "washington"?); sides: moscow, washington
	// demo.yaml:9:74: channels[0].capacity: 1.5 is out of range: must be from 0 to 1
	// true
}

func ExampleParseOverride() {
	o, err := scenarios.ParseOverride("channels.tapi.capacity=0.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := scenarios.LoadBuiltin("tiny", []scenarios.Override{o})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Channels[0].Name, s.Channels[0].Capacity)

	_, err = scenarios.LoadBuiltin("tiny", []scenarios.Override{{Path: "channels.tapy.capacity", Value: "0.5"}})
	fmt.Println(err)
	// Output:
	// tapi 0.5
	// --set: channels.tapy.capacity: channels has no element named "tapy" (did you mean "tapi"?); names: tapi, border
}
