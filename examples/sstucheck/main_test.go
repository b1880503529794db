package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func TestZipWithErrors(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "in.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("records/a.json")
	require.NoError(t, err)
	w.Write([]byte(`{"departmentId":"x","isDirect":true,"format":"Other","number":"1","name":"Иванов","questions":[]}`))
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(name, buf.Bytes(), 0o644))

	var out, errb bytes.Buffer
	err = run([]string{name}, &out, &errb)
	require.ErrorIs(t, err, errProblems)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, []string{
		name + "/records/a.json: $: one object per <uuid>.json at the zip root (warning)",
		name + "/records/a.json: $.departmentId: department GUID",
		name + "/records/a.json: $.questions: at least one question",
	}, lines)
	assert.NotContains(t, out.String(), "Иванов")
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.True(t, errors.Is(run(nil, &out, &errb), flag.ErrHelp))
	assert.Error(t, run([]string{"missing.json"}, &out, &errb))
}
