package scenarios

import "reflect"

// removedKeys maps keys that older scenario files used, by the struct that
// held them, to what replaces them. The loader refuses such a key with an
// error that names the replacement, instead of a bare "unknown key".
var removedKeys = map[reflect.Type]map[string]string{
	reflect.TypeFor[Channel](): {
		"freeze_sensitivity": `was removed in Model 2: use freeze_militarized and freeze_diplomatic (the share of activity a crisis of each kind freezes at severity 1)`,
	},
	reflect.TypeFor[MetricSettings](): {
		"reference_severity":    `was removed: entrenchment is now measured by a stress probe; use probe_severity (the probe's reference crisis, default 0.9)`,
		"cooperation_threshold": `was removed: entrenchment is now measured by a stress probe (the share of activity kept), so no stance threshold is needed; see probe_severity and entrenchment_threshold`,
		"entrenched_share":      `was removed: use entrenchment_threshold (the share of activity a probe must keep, default 0.5)`,
	},
}

// removedKey returns what replaces key in struct type t, if key was
// removed from it.
func removedKey(t reflect.Type, key string) (string, bool) {
	msg, ok := removedKeys[t][key]
	return msg, ok
}
