//go:build !race

package sqlitestore

// raceEnabled: see race_test.go.
const raceEnabled = false
