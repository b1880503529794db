package sstu

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/google/uuid"
	"github.com/klauspost/compress/flate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExportRoundTrip(t *testing.T) {
	in := synth(200, 5, 3000)
	m, prog := export(t, newExporter(), in)
	assert.Equal(t, Progress{Seen: 200, Exported: 200, Parts: []string{"rro-2024-03-001.zip"}, Bytes: int64(m.files["rro-2024-03-001.zip"].Len())}, prog)

	var got []Record
	for r, err := range ReadZip(m.parts()...) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, loaded(t, in), got)
	assert.Empty(t, (&Validator{Strict: true}).Zip(m.parts()...))
}

func TestExportDeterministic(t *testing.T) {
	a, _ := export(t, newExporter(), synth(300, 4, 2000))
	b, _ := export(t, newExporter(), synth(300, 4, 2000))
	require.Len(t, b.files, len(a.files))
	for name, buf := range a.files {
		assert.True(t, bytes.Equal(buf.Bytes(), b.files[name].Bytes()), name)
	}
	for name := range zipEntries(t, a.parts()[0]) {
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\.json$`, name)
	}
}

func TestExportParts(t *testing.T) {
	x := newExporter()
	x.PartLimit = 40_000
	x.Name = "r"
	m, prog := export(t, x, synth(500, 10, 5000))
	require.Greater(t, len(prog.Parts), 2)
	assert.Equal(t, "r001.zip", prog.Parts[0])
	var total int64
	for _, p := range m.parts() {
		assert.LessOrEqual(t, p.Size, x.PartLimit, p.Name)
		total += p.Size
	}
	assert.Equal(t, total, prog.Bytes)
	n := 0
	for _, err := range ReadZip(m.parts()...) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 500, n)
	assert.Empty(t, (&Validator{}).Zip(m.parts()...))
}

// TestZip64Count writes a part of 70,000 entries straight through zipPart, past the 65,535
// entries a plain end record can count, and reads its directory back.
func TestZip64Count(t *testing.T) {
	const n = 70_000
	var buf bytes.Buffer
	p := newZipPart("big.zip", nopCloser{&buf}, bufio.NewWriter(nil), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	fw, err := flate.NewWriter(nil, flate.BestSpeed)
	require.NoError(t, err)
	for i := range n {
		p.begin(uuid.UUID{byte(i >> 16), byte(i >> 8), byte(i)})
		fw.Reset(p)
		sink := entrySink{fw: fw}
		sink.Write([]byte("{}"))
		require.NoError(t, fw.Close())
		p.end(sink.crc, sink.n)
	}
	require.NoError(t, p.close())
	assert.Equal(t, int64(buf.Len()), p.n)

	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	require.Len(t, zr.File, n)
	last := zr.File[n-1]
	assert.Equal(t, "01116f00-0000-0000-0000-000000000000.json", last.Name) // entry 69,999
	assert.Equal(t, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), last.Modified.UTC())
	rc, err := last.Open()
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, "{}", string(b))
}

func TestExportSelectsAndSkips(t *testing.T) {
	inMarch := entryFor(card(1, appeal.StatusInWork), -1, 0)
	february := entryFor(card(2, appeal.StatusInWork), -1, 0)
	february.Appeal.RegisteredAt = february.Appeal.RegisteredAt.AddDate(0, -1, 0)
	february.Appeal.ReceivedAt = february.Appeal.ReceivedAt.AddDate(0, -1, 0)
	answeredInMarch := entryFor(card(3, appeal.StatusAnswered), 10, 3)
	answeredInMarch.Appeal.RegisteredAt = february.Appeal.RegisteredAt
	answeredInMarch.Appeal.ReceivedAt = february.Appeal.ReceivedAt
	answeredInMarch.StatusChanges = []time.Time{time.Date(2024, 3, 28, 12, 0, 0, 0, perm)}
	noStatus := entryFor(card(4, ""), -1, 0)
	all := func(yield func(*Entry, error) bool) {
		for _, e := range []*Entry{inMarch, february, answeredInMarch, noStatus, nil} {
			if !yield(e, nil) {
				return
			}
		}
	}
	_, prog := export(t, newExporter(), all)
	assert.Equal(t, 5, prog.Seen)
	assert.Equal(t, 2, prog.Exported)
	assert.Equal(t, 3, prog.Skipped)
}

func TestExportErrors(t *testing.T) {
	tooBig := entryFor(card(1, appeal.StatusExplained), 7_500_000, 1) // 10,000,000 Base64 characters
	short := entryFor(card(2, appeal.StatusExplained), 100, 2)
	short.Answer.Ref = "gen:50:2"
	noAnswer := entryFor(card(3, appeal.StatusExplained), -1, 0)
	failing := FilesFunc(func(context.Context, string) (io.ReadCloser, error) { return nil, errors.New("storage down") })

	tests := []struct {
		name  string
		entry *Entry
		files Files
		limit int64
		is    error
		rule  Rule
	}{
		{"attachment too large", tooBig, genFiles{}, 0, ErrInvalid, RuleAttachmentSize},
		{"attachment shorter than Size", short, genFiles{}, 0, ErrAttachment, ""},
		{"host cannot open", short, failing, 0, ErrAttachment, ""},
		{"no answer for a result", noAnswer, genFiles{}, 0, ErrInvalid, RuleAttachmentRequired},
		{"record over the part limit", entryFor(card(4, appeal.StatusExplained), 10_000, 4), genFiles{}, 5_000, ErrTooLarge, ""},
		{"part limit too small", short, genFiles{}, 10, ErrPartLimit, ""},
	}
	_, err := newExporter().Export(context.Background(), Month{}, one(short), (&memParts{}).create)
	assert.ErrorIs(t, err, ErrMonth)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := &Exporter{Org: testOrg, Files: tt.files, PartLimit: tt.limit}
			var m memParts
			_, err := x.Export(context.Background(), march24, one(tt.entry), m.create)
			require.ErrorIs(t, err, tt.is)
			if tt.is != ErrAttachment {
				assert.Empty(t, m.files, "validated and measured before any part is begun")
			}
			if tt.rule != "" {
				var ie *InvalidError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, tt.entry.Appeal.ID, ie.Appeal)
				assert.Equal(t, tt.rule, ie.Problems[0].Rule)
				assert.Contains(t, err.Error(), tt.entry.Appeal.ID.String())
			}
			assert.NotContains(t, err.Error(), "Иванов")
		})
	}
}

func one(e *Entry) func(func(*Entry, error) bool) {
	return func(yield func(*Entry, error) bool) { yield(e, nil) }
}

func TestExportCancelAndProgress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls []Progress
	x := newExporter()
	x.Progress = func(p Progress) {
		calls = append(calls, p)
		if p.Seen == 2000 {
			cancel()
		}
	}
	var m memParts
	prog, err := x.Export(ctx, march24, synth(10_000, 0, 0), m.create)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 2000, prog.Seen)
	require.Len(t, calls, 3) // part begun, 1,000, 2,000
	assert.Equal(t, []string{"rro-2024-03-001.zip"}, calls[0].Parts)

	inputErr := errors.New("store failed")
	_, err = x.Export(context.Background(), march24, func(yield func(*Entry, error) bool) { yield(nil, inputErr) }, m.create)
	assert.ErrorIs(t, err, inputErr)
}
