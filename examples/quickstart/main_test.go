package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b, time.Date(2025, 12, 2, 10, 0, 0, 0, time.UTC)))
	out := b.String()
	assert.Contains(t, out, "the card is valid")
	assert.Contains(t, out, "answered → closed")
	assert.Contains(t, out, "withdrawal is refused")
}

func TestRunTellsTheWholeStory(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b, time.Date(2025, 11, 10, 9, 0, 0, 0, time.UTC)))
	out := b.String()
	for _, want := range []string{
		"the clerk registers it; the number and a PIN go to the applicant in one letter: received → registered",
		"number Ж-2025-000001, registered 2025-11-11, due 2025-12-11, extended by 20 days to 2026-01-12",
		"the next morning the Monitor reminds the registry office of the 3-day registration term",
		"→ registry: Приближается срок: регистрация обращения (поступило 10.11.2025)",
		"the executor's assignment moves with it: due 2025-12-11 → 2025-12-30",
		"«Дан ответ»",
		"applicant feedback  answered → answered",
		"Срок рассмотрения продлен, ответ до 2026-01-12 (запрошены документы в управляющей компании)",
		"→ applicant by email   Ответ на обращение № Ж-2025-000001",
		"→ exec-1               Поручение по обращению № Ж-2025-000001",
		"a double click sends the form again: still one appeal",
		"→ exec-1               Изменен срок поручения по обращению № Ж-2025-000001",
		"someone tries a guessed PIN at night: workflow: unknown registration number or wrong PIN",
		"the applicant checks the status with number and PIN: «Дан ответ»",
		"from Петров Пётр Иванович, «Фонарь»: Не горит фонарь у дома 3.",
		"no e-mail channel since 2025-03-30",
		"so the clerk refuses its registration (обращение направлено способом, не предусмотренным ч. 1 ст. 4 Федерального закона № 59-ФЗ) and the sender is told how to file: received → refused",
	} {
		assert.Contains(t, out, want)
	}
}

// It behaves like a Go tool: -h on stdout with exit 0, a bad flag or an argument exit 2,
// -version and -diagram print and exit.
func TestCLI(t *testing.T) {
	for _, c := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-h"}, 0, "usage: quickstart", ""},
		{[]string{"-diagram", "-help"}, 0, "usage: quickstart", ""},
		{[]string{"-version"}, 0, "quickstart 0.", ""},
		{[]string{"-diagram"}, 0, "stateDiagram-v2", ""},
		{[]string{"-nope"}, 2, "", "flag provided but not defined"},
		{[]string{"extra"}, 2, "", "takes no arguments"},
	} {
		var out, errOut strings.Builder
		assert.Equal(t, c.code, cli(c.args, &out, &errOut), "%v", c.args)
		assert.Contains(t, out.String(), c.stdout, "%v", c.args)
		assert.Contains(t, errOut.String(), c.stderr, "%v", c.args)
		if c.stderr == "" {
			assert.Empty(t, errOut.String(), "%v", c.args)
		}
	}
}
