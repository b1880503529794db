package sstutest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/sstu"
	"github.com/fz59/appeals/sstu/sstutest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that keeps what Valid reports.
type recorder struct {
	testing.TB
	errors, logs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// month exports one appeal in work into dir, valid or with an unknown code.
func month(t *testing.T, dir, code string) string {
	a := appeal.New(uuid.MustParse("0190f3a1-0000-7000-8000-000000000001"), time.Date(2024, 3, 4, 10, 0, 0, 0, sstu.Moscow()), appeal.ChannelPost)
	a.Number, a.RegisteredAt = "01-1", time.Date(2024, 3, 5, 10, 0, 0, 0, sstu.Moscow())
	a.Applicants = []appeal.Applicant{{Surname: "Петрова", GivenName: "Анна"}}
	a.Questions = []appeal.Question{{Code: code, Status: appeal.StatusInWork}}
	x := &sstu.Exporter{Org: sstu.Org{DepartmentID: "6bc82a49-6a97-43f4-9e42-a07d417b60b6"}, Validator: sstu.Validator{Codes: anyCode{}}}
	res, err := x.Export(context.Background(), sstu.Month{Year: 2024, Month: time.March},
		func(yield func(*sstu.Entry, error) bool) { yield(&sstu.Entry{Appeal: a}, nil) }, &sstu.Dir{Path: dir})
	require.NoError(t, err)
	return filepath.Join(dir, res.Parts[0])
}

// anyCode lets the exporter write a code the default validator refuses.
type anyCode struct{}

func (anyCode) Assignable(classifier.Code) error { return nil }

func TestValid(t *testing.T) {
	good := month(t, t.TempDir(), "0005.0005.0055.1122")
	assert.True(t, sstutest.Valid(t, good))

	bad := month(t, t.TempDir(), "0005.0005.0055.9999")
	relay := filepath.Join(t.TempDir(), "relay.json")
	sample, err := os.ReadFile("../testdata/perm-smd-handlingreport-request.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(relay, sample, 0o644))
	var r recorder
	assert.False(t, sstutest.Valid(&r, bad, relay))
	require.Len(t, r.errors, 1)
	assert.Regexp(t, `^sstu: .*rro-2024-03-001\.zip/[0-9a-f-]{36}\.json: \$\.questions\[0\]\.code: code in the classifier edition$`, r.errors[0])
	assert.Len(t, r.logs, 9, "the relay's own fields, warnings")

	r = recorder{}
	assert.False(t, sstutest.Valid(&r, filepath.Join(t.TempDir(), "missing.zip")))
	require.Len(t, r.errors, 1)
	assert.Contains(t, r.errors[0], "sstutest: open ")
	assert.True(t, bytes.HasPrefix([]byte(r.errors[0]), []byte("sstutest:")))
}
