package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

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
}

func TestRunJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-rule", "consideration", "-from", "2026-04-09", "-json"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rule, From, Legal, Control string
		Days                       int
		Steps                      []map[string]any
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out.String())
	}
	if got.Rule != "consideration" || got.From != "2026-04-09" || got.Days != 30 || got.Legal != "2026-05-12" || got.Control != "2026-05-08" || len(got.Steps) != 5 {
		t.Errorf("json: %+v", got)
	}
}

func TestRunListAndErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-list"}, &out, &out); err != nil || strings.Count(out.String(), "\n") != len(deadline.Rules()) || !strings.Contains(out.String(), "ст. 12 ч. 1.1") {
		t.Errorf("list: %v\n%s", err, out.String())
	}
	if err := run([]string{"-rule", "nope", "-from", "2025-12-02"}, &out, &out); !errors.Is(err, deadline.ErrUnknownRule) {
		t.Errorf("bad rule: %v", err)
	}
	if err := run([]string{"-from", "2025-02-30"}, &out, &out); !errors.Is(err, deadline.ErrBadDate) {
		t.Errorf("bad date: %v", err)
	}
	if err := run([]string{"-from", "2025-12-02", "-extend", "31", "-reason", "x"}, &out, &out); !errors.Is(err, deadline.ErrExtensionTooLong) {
		t.Errorf("long extension: %v", err)
	}
}
