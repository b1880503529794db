package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
)

func TestRun(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run([]string{"-rule", "consideration", "-from", "2025-12-02"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026-01-12", "2025-12-30", "ГК РФ ст. 193"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if errb.Len() != 0 || strings.Contains(out.String(), "Внимание") {
		t.Errorf("a covered year warns: %q", errb.String())
	}
}

type jsonOut struct {
	Rule, From, Legal, Control string
	Days                       int
	Estimated                  *bool
	Steps                      []map[string]any
}

func runJSON(t *testing.T, args ...string) (jsonOut, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(append(args, "-json"), &out, &errb); err != nil {
		t.Fatal(err)
	}
	var got jsonOut
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out.String())
	}
	return got, errb.String()
}

func TestRunJSON(t *testing.T) {
	got, stderr := runJSON(t, "-rule", "consideration", "-from", "2026-04-09")
	if got.Rule != "consideration" || got.From != "2026-04-09" || got.Days != 30 || got.Legal != "2026-05-12" || got.Control != "2026-05-08" ||
		len(got.Steps) != 5 || got.Estimated == nil || *got.Estimated || stderr != "" {
		t.Errorf("json: %+v, stderr %q", got, stderr)
	}
}

// TestRunEstimated: a date in a year without an official calendar is
// marked in the JSON, and the warning comes first on stderr and in the
// sentence.
func TestRunEstimated(t *testing.T) {
	got, stderr := runJSON(t, "-from", "2027-12-10")
	if got.Estimated == nil || !*got.Estimated || got.Legal != "2028-01-10" || got.Steps[0]["kind"] != "uncovered" {
		t.Errorf("json: %+v", got)
	}
	if !strings.HasPrefix(stderr, "duedate: внимание: производственного календаря на 2028 год нет") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q", stderr)
	}
	var out, errb bytes.Buffer
	if err := run([]string{"-from", "2027-12-10"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if errb.String() != stderr || !strings.Contains(out.String(), "\nВнимание: производственного календаря на 2028 год нет") {
		t.Errorf("text: stderr %q\n%s", errb.String(), out.String())
	}

	// With the official 2028 loaded, nothing is estimated.
	file := filepath.Join("..", "..", "deadline", "testdata", "ru-2028.csv")
	got, stderr = runJSON(t, "-from", "2027-12-10", "-calendar", file)
	if *got.Estimated || got.Legal != "2028-01-11" || stderr != "" {
		t.Errorf("with 2028 loaded: %+v, stderr %q", got, stderr)
	}
}

// TestRunTool: the command behaves like a Go tool — help, version, usage
// errors with one message, wrong values listing the valid ones.
func TestRunTool(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("date,kind\n2028-01-09,holiday\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    string // a substring, or "" for none
		stderr    string // a substring of the one line, or "" for none
		wantUsage bool
	}{
		{"help", []string{"-h"}, 0, "usage: duedate -from", "", false},
		{"long help", []string{"-help"}, 0, "-calendar", "", false},
		{"version", []string{"-version"}, 0, appeal.Version + "\n", "", false},
		{"list", []string{"-list"}, 0, "ст. 12 ч. 1.1", "", false},
		{"unknown flag", []string{"-nope"}, 2, "", "duedate: flag provided but not defined: -nope", true},
		{"positional argument", []string{"-from", "2025-12-02", "extra"}, 2, "", `unexpected argument "extra"`, true},
		{"unknown rule lists the rules", []string{"-rule", "nope", "-from", "2025-12-02"}, 2, "",
			"valid rules: registration, forwarding, forwarding-migration, copy-to-bodies, consideration, consideration-migration, inter-agency-request, art11-return, art11-notice", true},
		{"no -from", []string{"-rule", "registration"}, 2, "", "-from is required", true},
		{"bad date", []string{"-from", "2025-02-30"}, 2, "", "-from: deadline: bad date", true},
		{"year 1", []string{"-from", "0001-01-01"}, 2, "", "year outside 1900–2199", true},
		{"ends after 2199", []string{"-from", "2199-12-20"}, 2, "", "would end after 2199-12-31", true},
		{"long extension lists the range", []string{"-from", "2025-12-02", "-extend", "31", "-reason", "x"}, 2, "", "valid: 1–30", true},
		{"extension without reason", []string{"-from", "2025-12-02", "-extend", "10"}, 2, "", "-extend needs -reason", true},
		{"reason without extension", []string{"-from", "2025-12-02", "-reason", "x"}, 2, "", "-reason needs -extend", true},
		{"not extendable", []string{"-rule", "registration", "-from", "2025-12-02", "-extend", "5", "-reason", "x"}, 2, "", "cannot be extended", true},
		{"calendar file missing", []string{"-from", "2025-12-02", "-calendar", "/nonexistent.csv"}, 1, "", "-calendar: open", false},
		{"calendar file refused", []string{"-from", "2025-12-02", "-calendar", bad}, 1, "", "calendar CSV line 2: holiday", false},
		{"extension", []string{"-from", "2025-12-02", "-extend", "30", "-reason", "запрос"}, 0, "последний день:   2026-02-11", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(tt.args, &out, &errb)
			code := exitCode(err, &errb)
			if code != tt.code || errors.As(err, new(usageError)) != tt.wantUsage {
				t.Errorf("exit %d (%v), want %d", code, err, tt.code)
			}
			if tt.stdout == "" && out.Len() != 0 || !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("stdout %q, want %q", out.String(), tt.stdout)
			}
			if tt.stderr == "" && errb.Len() != 0 || !strings.Contains(errb.String(), tt.stderr) ||
				tt.stderr != "" && strings.Count(errb.String(), "\n") != 1 {
				t.Errorf("stderr %q, want one line with %q", errb.String(), tt.stderr)
			}
		})
	}
	if errors.Is(run([]string{"-from", "2025-02-30"}, &bytes.Buffer{}, &bytes.Buffer{}), deadline.ErrBadDate) != true {
		t.Error("a bad date is not deadline.ErrBadDate")
	}
}
