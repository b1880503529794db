package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/sstu/sstutest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = "../../sstu/testdata/perm-smd-handlingreport-request.json"

func TestSampleWarnsOnly(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{sample}, &out, &errb))
	assert.Contains(t, out.String(), sample+": $[0].requestId: field not in the upload (warning)\n")
	assert.Contains(t, errb.String(), "0 error(s), 9 warning(s) in 1 file(s)")

	out.Reset()
	require.NoError(t, run([]string{"-q", sample}, &out, &errb))
	assert.Empty(t, out.String())

	err := run([]string{"-strict", sample}, &out, &errb)
	assert.ErrorIs(t, err, errProblems)
}

// badZip writes a zip of one record in a folder, with a bad department and no questions.
func badZip(t *testing.T) string {
	name := filepath.Join(t.TempDir(), "in.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("records/Иванов.json")
	require.NoError(t, err)
	w.Write([]byte(`{"departmentId":"x","isDirect":true,"format":"Other","number":"1","name":"Иванов","questions":[]}`))
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(name, buf.Bytes(), 0o644))
	return name
}

func TestZipWithErrors(t *testing.T) {
	name := badZip(t)
	var out, errb bytes.Buffer
	err := run([]string{name}, &out, &errb)
	require.ErrorIs(t, err, errProblems)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, []string{
		name + "#1: $: one object per <uuid>.json at the zip root (warning)",
		name + "#1: $.departmentId: department GUID",
		name + "#1: $.questions: at least one question",
	}, lines)
	assert.NotContains(t, out.String()+errb.String(), "Иванов", "neither a value nor an entry's name")
}

// TestJSONOutput: -json prints the documented object, the same problems as the text.
func TestJSONOutput(t *testing.T) {
	name := badZip(t)
	var out, errb bytes.Buffer
	require.ErrorIs(t, run([]string{"-json", name}, &out, &errb), errProblems)
	assert.Empty(t, errb.String())
	var got map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	assert.Equal(t, map[string]any{
		"version": appeal.Version, "ok": false, "errors": 2.0, "warnings": 1.0, "more": 0.0, "moreErrors": false,
		"problems": []any{
			map[string]any{"file": name + "#1", "path": "$", "rule": "one object per <uuid>.json at the zip root", "severity": "warning"},
			map[string]any{"file": name + "#1", "path": "$.departmentId", "rule": "department GUID", "severity": "error"},
			map[string]any{"file": name + "#1", "path": "$.questions", "rule": "at least one question", "severity": "error"},
		},
	}, got)

	out.Reset()
	require.ErrorIs(t, run([]string{"-json", "-max-problems", "1", name}, &out, &errb), errProblems)
	var capped result
	require.NoError(t, json.Unmarshal(out.Bytes(), &capped))
	assert.Len(t, capped.Problems, 1)
	assert.Equal(t, 2, capped.More)
	assert.True(t, capped.MoreErrors)
	assert.False(t, capped.OK)

	out.Reset()
	require.NoError(t, run([]string{"-json", sample}, &out, &errb))
	require.NoError(t, json.Unmarshal(out.Bytes(), &capped))
	assert.True(t, capped.OK)
	assert.Equal(t, 9, capped.Warnings)
}

// TestUsage: the program behaves like a Go tool: -h on stdout with status 0, one line and
// status 2 for a usage error, the valid flags and values named.
func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		text string // in the error
	}{
		{"no files", nil, "no files to check"},
		{"unknown flag", []string{"-x", "a.zip"}, "flags: -classifier, -json, -max-bytes"},
		{"bad number", []string{"-max-entries", "many", "a.zip"}, "want a whole number of at least 1"},
		{"zero", []string{"-max-problems=0", "a.zip"}, "want a whole number of at least 1"},
		{"other file kind", []string{"notes.txt"}, "want a .zip or .json file"},
		{"sample with files", []string{"-sample", t.TempDir(), "a.zip"}, "-sample takes no files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(tt.args, &out, &errb)
			require.ErrorIs(t, err, errUsage)
			assert.Contains(t, err.Error(), tt.text)
			assert.NotContains(t, err.Error(), "\n")
			assert.Empty(t, out.String())
		})
	}

	var out, errb bytes.Buffer
	require.True(t, errors.Is(run([]string{"-h"}, &out, &errb), flag.ErrHelp))
	assert.Contains(t, out.String(), "usage: sstucheck")
	assert.Contains(t, out.String(), "-max-entry-bytes")
	assert.Empty(t, errb.String())

	out.Reset()
	require.NoError(t, run([]string{"-version"}, &out, &errb))
	assert.Equal(t, "sstucheck "+appeal.Version+"\n", out.String())

	err := run([]string{"missing.json"}, &out, &errb)
	require.Error(t, err)
	assert.False(t, errors.Is(err, errUsage), "a file that cannot be opened is not a usage error")
}

// TestSample: -sample writes a month the checker passes in strict mode.
func TestSample(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-sample", dir}, &out, &errb))
	part := filepath.Join(dir, "rro-2024-03-001.zip")
	assert.Equal(t, part+"\n", out.String())
	out.Reset()
	require.NoError(t, run([]string{"-strict", part}, &out, &errb))
	assert.Empty(t, out.String())
	assert.Contains(t, errb.String(), "0 error(s), 0 warning(s)")
	sstutest.Valid(t, part)
}

// TestBombs: each bomb is refused with its rule, exit status 1, in bounded allocations.
func TestBombs(t *testing.T) {
	dir := t.TempDir()
	for _, b := range sstutest.Bombs() {
		t.Run(b.Name, func(t *testing.T) {
			name := filepath.Join(dir, b.Name)
			require.NoError(t, os.WriteFile(name, b.Data, 0o644))
			var out, errb bytes.Buffer
			var err error
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err = run([]string{"-json", name}, &out, &errb)
			runtime.ReadMemStats(&after)
			n := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d KiB allocated", n>>10)
			assert.Less(t, n, uint64(32<<20))
			require.ErrorIs(t, err, errProblems)
			var r result
			require.NoError(t, json.Unmarshal(out.Bytes(), &r))
			require.NotEmpty(t, r.Problems)
			assert.Equal(t, b.Rule, r.Problems[0].Rule)
		})
	}

	// A JSON file over the entry limit is refused unread.
	big := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte(" "), 2000), 0o644))
	var out, errb bytes.Buffer
	require.ErrorIs(t, run([]string{"-max-entry-bytes", "1000", big}, &out, &errb), errProblems)
	assert.Equal(t, big+": $: "+string(sstu.RuleEntrySize)+"\n", out.String())
}
