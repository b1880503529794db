package sstu

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden exports one appeal per status (and the variants the settings choose) and compares
// the zip entry with testdata/golden/<name>.json, kept indented for review: the entry must be
// its compact form byte for byte. Reading the indented file back gives the same record.
func TestGolden(t *testing.T) {
	type golden struct {
		name  string
		entry *Entry
		ext   Extension
	}
	var cases []golden
	for i, s := range appeal.QuestionStatuses() {
		size := int64(-1)
		if s.Result() {
			size = 24
		}
		e := entryFor(card(i, s), size, i)
		e.StatusChanges = []time.Time{e.Appeal.ReceivedAt} // selects the unregistered one
		cases = append(cases, golden{string(s), e, ExtensionInWork})
	}
	medo := card(20, appeal.StatusInWorkExtended)
	medo.Channel = appeal.ChannelMEDO
	medo.CoverLetter = &appeal.CoverLetter{Sender: otherBody, Number: "А26-05-84857211-СО1", Date: deadline.NewDate(2024, 3, 1)}
	cases = append(cases,
		golden{"InWorkExtended-status", entryFor(card(21, appeal.StatusInWorkExtended), -1, 0), ExtensionStatus},
		golden{"InWorkExtended-flag", entryFor(card(22, appeal.StatusInWorkExtended), -1, 0), ExtensionFlag},
		golden{"MEDO", entryFor(medo, -1, 0), ExtensionInWork},
	)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			x := newExporter()
			x.Org.Extension = tt.ext
			m, prog := export(t, x, one(tt.entry))
			file := filepath.Join("testdata", "golden", tt.name+".json")
			if tt.entry.Appeal.Questions[0].Status == appeal.StatusNotReceived {
				assert.Equal(t, 0, prog.Exported, "NotReceived is never exported")
				assert.Empty(t, m.Parts())
				return
			}
			got := zipEntries(t, m.Parts()[0])[FileName(tt.entry.Appeal.ID)]
			require.NotNil(t, got)
			if *update {
				var pretty bytes.Buffer
				require.NoError(t, json.Indent(&pretty, got, "", "  "))
				pretty.WriteByte('\n')
				require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
				require.NoError(t, os.WriteFile(file, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(file)
			require.NoError(t, err)
			var compact bytes.Buffer
			require.NoError(t, json.Compact(&compact, want))
			assert.Equal(t, compact.String(), string(got))

			recs, err := readJSON(file, want)
			require.NoError(t, err)
			x.Org.Extension = tt.ext
			assert.Equal(t, withContent(t, x.Org.Record(tt.entry)), recs[0])
			assert.Empty(t, (&Validator{Strict: true}).JSON(file, want))
		})
	}
}
