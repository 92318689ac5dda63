// Package claims puts the memo's claims to the test: it runs built-in scenarios in pairs on common random numbers and decides each claim by a rule declared before the runs.
package claims
