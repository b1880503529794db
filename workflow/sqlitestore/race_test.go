//go:build race

package sqlitestore

// raceEnabled: the race detector (with checkptr) slows the transpiled SQLite some fiftyfold,
// so tests whose work is not concurrent do less of it under -race; they run whole without.
const raceEnabled = true
