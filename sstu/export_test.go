package sstu

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/deadline"
	"github.com/google/uuid"
	"github.com/klauspost/compress/flate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll reads every record of the parts back, failing on a read error.
func readAll(t testing.TB, parts ...Part) []Record {
	t.Helper()
	var got []Record
	for r, err := range (&Reader{}).Zip(parts...) {
		require.NoError(t, err)
		got = append(got, r)
	}
	return got
}

func TestExportRoundTrip(t *testing.T) {
	in := synth(200, 5, 3000)
	m, res := export(t, newExporter(), in)
	assert.Equal(t, Progress{Seen: 200, Exported: 200, Parts: []string{"rro-2024-03-001.zip"}, Bytes: m.Parts()[0].Size}, res.Progress)
	assert.Empty(t, res.Refusals)
	assert.Equal(t, loaded(t, in), readAll(t, m.Parts()...))
	assert.Empty(t, (&Validator{Strict: true}).Zip(m.Parts()...))
}

func TestExportDeterministic(t *testing.T) {
	a, _ := export(t, newExporter(), synth(300, 4, 2000))
	b, _ := export(t, newExporter(), synth(300, 4, 2000))
	assert.Equal(t, partBytes(t, a), partBytes(t, b))
	for name := range zipEntries(t, a.Parts()[0]) {
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\.json$`, name)
	}
}

// TestExportWorkers: the parts are byte for byte the same for one worker and for several,
// parts cut, answers large and small, refusals among the records.
func TestExportWorkers(t *testing.T) {
	month := func() func(yield func(*Entry, error) bool) {
		return func(yield func(*Entry, error) bool) {
			for e := range synth(600, 3, 5000) {
				if n := e.Appeal.Number; n == "П-7" || n == "П-500" {
					e.Appeal.Questions[0].Code = "0005" // refused: a section
				}
				if e.Appeal.Number == "П-300" {
					e.Answer = &appeal.Attachment{Name: "big.pdf", Size: 600_000, Ref: "gen:600000:9"}
				}
				if !yield(e, nil) {
					return
				}
			}
		}
	}
	var want map[string][]byte
	var wantRes Result
	for _, workers := range []int{1, 2, 5} {
		x := newExporter()
		x.Workers, x.PartLimit = workers, 200_000
		m, res := export(t, x, month())
		got := partBytes(t, m)
		if want == nil {
			want, wantRes = got, res
			require.Greater(t, len(got), 3)
			require.Len(t, res.Refusals, 3) // two codes, and the big answer over the part limit
			continue
		}
		assert.Equal(t, wantRes, res, "workers %d", workers)
		assert.Equal(t, len(want), len(got))
		for name, b := range want {
			assert.True(t, bytes.Equal(b, got[name]), "workers %d: %s differs", workers, name)
		}
	}
}

// TestZip64Count writes a part of 70,000 entries straight through zipPart, past the 65,535
// entries a plain end record can count, and reads its directory back with archive/zip and
// with the Reader.
func TestZip64Count(t *testing.T) {
	const n = 70_000
	var buf bytes.Buffer
	p := newZipPart("big.zip", nopCloser{&buf}, bufio.NewWriter(nil), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	var z bytes.Buffer
	fw, err := flate.NewWriter(&z, flate.BestSpeed)
	require.NoError(t, err)
	sink := entrySink{fw: fw}
	sink.Write([]byte("{}"))
	require.NoError(t, fw.Close())
	for i := range n {
		p.entry(uuid.UUID{byte(i >> 16), byte(i >> 8), byte(i)}, z.Bytes(), sink.crc, sink.n)
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

	part := Part{Name: "big.zip", ReaderAt: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())}
	read := 0
	for it := range zipItems([]Part{part}, Limits{Entries: n}.or()) {
		require.NoError(t, it.err)
		require.Empty(t, it.rule)
		read++
	}
	assert.Equal(t, n, read)
	for _, err := range (&Reader{}).Zip(part) {
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, RuleEntries, re.Rule, "70,000 entries are over the default limit")
	}
}

func TestExportParts(t *testing.T) {
	x := newExporter()
	x.PartLimit = 40_000
	x.Name = "r"
	m, res := export(t, x, synth(500, 10, 5000))
	require.Greater(t, len(res.Parts), 2)
	assert.Equal(t, "r001.zip", res.Parts[0])
	var total int64
	for _, p := range m.Parts() {
		assert.LessOrEqual(t, p.Size, x.PartLimit, p.Name)
		total += p.Size
	}
	assert.Equal(t, total, res.Bytes)
	assert.Len(t, readAll(t, m.Parts()...), 500)
	assert.Empty(t, (&Validator{}).Zip(m.Parts()...))
}

// TestExportPartsWithinLimits: a part ends at the readers' entries and bytes, not only at its
// size, so that what the Exporter writes its Reader takes with the same Limits.
func TestExportPartsWithinLimits(t *testing.T) {
	lim := Limits{Entries: 70, Bytes: 40_000}
	x := newExporter()
	x.Limits = lim
	m, res := export(t, x, synth(400, 0, 0))
	require.Greater(t, len(res.Parts), 5)
	rd := Reader{Limits: lim}
	for _, p := range m.Parts() {
		n := 0
		var usize int64
		for name, b := range zipEntries(t, p) {
			n++
			usize += int64(len(b))
			assert.True(t, isFileName(name))
		}
		assert.LessOrEqual(t, n, lim.Entries, p.Name)
		assert.LessOrEqual(t, usize, lim.Bytes, p.Name)
	}
	n := 0
	for _, err := range rd.Zip(m.Parts()...) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 400, n)
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
	_, res := export(t, newExporter(), slice(inMarch, february, answeredInMarch, noStatus, nil))
	assert.Equal(t, 5, res.Seen)
	assert.Equal(t, 2, res.Exported)
	assert.Equal(t, 3, res.Skipped)
}

// TestExportRefusesOneRecord: a record that breaks a rule, does not fit in a part, or whose
// answer's bytes are missing or short is left out and listed with its appeal, the path and the
// rule (docs/sstu.md §3); the rest of the month is written.
func TestExportRefusesOneRecord(t *testing.T) {
	tooBig := entryFor(card(1, appeal.StatusExplained), 7_500_000, 1) // 10,000,000 Base64 characters
	short := entryFor(card(2, appeal.StatusExplained), 100, 2)
	short.Answer.Ref = "gen:50:2"
	missing := entryFor(card(3, appeal.StatusExplained), 100, 3)
	missing.Answer.Ref = "nowhere"
	noAnswer := entryFor(card(4, appeal.StatusExplained), -1, 0)
	large := entryFor(card(5, appeal.StatusExplained), 10_000, 5)
	tests := []struct {
		name  string
		entry *Entry
		limit int64
		path  string
		rule  Rule
	}{
		{"attachment too large", tooBig, 0, "$.questions[0].attachment.content", RuleAttachmentSize},
		{"attachment shorter than Size", short, 0, "$.questions[0].attachment.content", RuleAttachmentBytes},
		{"no bytes under the reference", missing, 0, "$.questions[0].attachment.content", RuleAttachmentBytes},
		{"no answer for a result", noAnswer, 0, "$.questions[0].attachment", RuleAttachmentRequired},
		{"record over the part limit", large, 5_000, "$", RuleEntrySize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := entryFor(card(10, appeal.StatusInWork), -1, 0)
			after := entryFor(card(11, appeal.StatusAnswered), 20, 11)
			x := newExporter()
			x.PartLimit = tt.limit
			m, res := export(t, x, slice(good, tt.entry, after))
			assert.Equal(t, 2, res.Exported)
			assert.Equal(t, 1, res.Refused)
			require.Len(t, res.Refusals, 1)
			ref := res.Refusals[0]
			assert.Equal(t, tt.entry.Appeal.ID, ref.Appeal)
			assert.Contains(t, pathsRules(ref.Problems, Error), found{tt.path, tt.rule})
			assert.ErrorIs(t, ref, ErrInvalid)
			assert.Contains(t, ref.Error(), tt.entry.Appeal.ID.String())
			assert.NotContains(t, ref.Error(), "Иванов")
			got := readAll(t, m.Parts()...)
			require.Len(t, got, 2)
			assert.Equal(t, []string{"П-10", "П-11"}, []string{got[0].Number, got[1].Number})
		})
	}
}

func slice(es ...*Entry) func(func(*Entry, error) bool) {
	return func(yield func(*Entry, error) bool) {
		for _, e := range es {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func one(e *Entry) func(func(*Entry, error) bool) { return slice(e) }

func TestExportSettings(t *testing.T) {
	_, err := newExporter().Export(context.Background(), Month{}, one(nil), &Memory{})
	assert.ErrorIs(t, err, ErrMonth)
	x := newExporter()
	x.PartLimit = 10
	_, err = x.Export(context.Background(), march24, one(nil), &Memory{})
	assert.ErrorIs(t, err, ErrPartLimit)
}

// failing is a Destination whose parts fail after some bytes, and that records what the
// export asked of it.
type failing struct {
	Memory
	left             int // bytes before the disk is full
	aborted, commits int
}

func (f *failing) Create(name string) (io.WriteCloser, error) {
	w, err := f.Memory.Create(name)
	return &failWriter{w: w, left: &f.left}, err
}

func (f *failing) Abort() error  { f.aborted++; return f.Memory.Abort() }
func (f *failing) Commit() error { f.commits++; return f.Memory.Commit() }

type failWriter struct {
	w    io.WriteCloser
	left *int
}

func (w *failWriter) Write(b []byte) (int, error) {
	if *w.left -= len(b); *w.left < 0 {
		return 0, errors.New("disk full")
	}
	return w.w.Write(b)
}

func (w *failWriter) Close() error { return w.w.Close() }

// TestExportStops: a context cancelled, the entries failing, the host's storage failing or
// the destination failing stop the export; it aborts the destination, so no part is left.
func TestExportStops(t *testing.T) {
	broken := errors.New("store failed")
	down := errors.New("storage down")
	tests := []struct {
		name    string
		entries func(cancel func()) func(func(*Entry, error) bool)
		blobs   appeal.Blobs
		after   int
		want    error
		begun   bool // parts were begun before the stop
	}{
		{"context cancelled", func(cancel func()) func(func(*Entry, error) bool) {
			return func(yield func(*Entry, error) bool) {
				for e := range synth(2000, 0, 0) {
					if e.Appeal.Number == "П-1500" {
						cancel()
					}
					if !yield(e, nil) {
						return
					}
				}
			}
		}, genBlobs{}, 1 << 30, context.Canceled, true},
		{"entries fail", func(func()) func(func(*Entry, error) bool) {
			return func(yield func(*Entry, error) bool) {
				for e := range synth(1000, 0, 0) {
					if !yield(e, nil) {
						return
					}
				}
				yield(nil, broken)
			}
		}, genBlobs{}, 1 << 30, broken, true},
		{"storage fails", func(func()) func(func(*Entry, error) bool) { return synth(300, 5, 100) },
			downBlobs{down}, 1 << 30, down, false},
		{"destination fails", func(func()) func(func(*Entry, error) bool) { return synth(1000, 0, 0) },
			genBlobs{}, 100_000, nil, true},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 2} {
			t.Run(tt.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				x := &Exporter{Org: testOrg, Blobs: tt.blobs, Workers: workers, PartLimit: 30_000}
				dst := &failing{left: tt.after}
				res, err := x.Export(ctx, march24, tt.entries(cancel), dst)
				require.Error(t, err)
				if tt.want != nil {
					assert.ErrorIs(t, err, tt.want)
				}
				assert.Equal(t, 1, dst.aborted)
				assert.Zero(t, dst.commits)
				assert.Nil(t, dst.Parts())
				assert.Equal(t, tt.begun, len(res.Parts) > 0, "parts begun, then discarded")
			})
		}
	}
}

type downBlobs struct{ err error }

func (d downBlobs) Open(context.Context, string) (io.ReadCloser, error) { return nil, d.err }
func (d downBlobs) Put(context.Context, string, string, io.Reader) (string, error) {
	return "", d.err
}

// TestDir: parts go to temporary files and appear under their names only on Commit; a stopped
// export leaves the directory as it was.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	x := newExporter()
	x.PartLimit = 40_000
	res, err := x.Export(context.Background(), march24, synth(300, 0, 0), &Dir{Path: dir})
	require.NoError(t, err)
	names, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, names, len(res.Parts))
	for i, e := range names {
		assert.Equal(t, res.Parts[i], e.Name())
	}
	p, f, err := OpenPart(filepath.Join(dir, res.Parts[0]))
	require.NoError(t, err)
	defer f.Close()
	assert.Empty(t, (&Validator{}).Zip(p))

	empty := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	x.Progress = func(p Progress) {
		if len(p.Parts) == 3 {
			_, err := os.Stat(filepath.Join(empty, p.Parts[0]))
			assert.ErrorIs(t, err, os.ErrNotExist, "nothing under a part's name before Commit")
			cancel()
		}
	}
	_, err = x.Export(ctx, march24, synth(3000, 0, 0), &Dir{Path: empty})
	require.ErrorIs(t, err, context.Canceled)
	left, err := os.ReadDir(empty)
	require.NoError(t, err)
	assert.Empty(t, left, "neither parts nor temporary files")

	_, err = x.Export(context.Background(), march24, synth(10, 0, 0), &Dir{Path: filepath.Join(dir, "missing")})
	assert.Error(t, err)

	// A rename that fails on Commit takes every part of the export with it.
	blocked := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(blocked, "rro-2024-03-002.zip"), 0o755))
	x.Progress = nil
	_, err = x.Export(context.Background(), march24, synth(300, 0, 0), &Dir{Path: blocked})
	require.Error(t, err)
	left, err = os.ReadDir(blocked)
	require.NoError(t, err)
	require.Len(t, left, 1)
	assert.True(t, left[0].IsDir(), "only what was there before")
}

func TestExportProgress(t *testing.T) {
	var calls []Progress
	x := newExporter()
	x.Workers = 1
	x.Progress = func(p Progress) { calls = append(calls, p) }
	_, res := export(t, x, synth(2500, 0, 0))
	require.Len(t, calls, 4) // part begun, 1,000, 2,000, the end
	assert.Equal(t, []string{"rro-2024-03-001.zip"}, calls[0].Parts)
	assert.Equal(t, 2000, calls[2].Seen)
	assert.Equal(t, res.Progress, calls[3])
}

// An anonymous appeal, or one without an applicant's name, is exported under the
// placeholder name of the settings, never dropped (docs/sstu.md §3).
func TestExportAnonymous(t *testing.T) {
	marked := card(1, appeal.StatusInWork)
	marked.Anonymous = true
	noName := card(2, appeal.StatusInWork)
	noName.Applicants = nil
	named := card(3, appeal.StatusInWork)
	entries := slice(entryFor(marked, -1, 0), entryFor(noName, -1, 0), entryFor(named, -1, 0))
	for _, tt := range []struct{ setting, want string }{{"", "Аноним"}, {"Заявитель не указан", "Заявитель не указан"}} {
		x := newExporter()
		x.Org.AnonymousName = tt.setting
		m, res := export(t, x, entries)
		assert.Equal(t, 3, res.Exported)
		got := readAll(t, m.Parts()...)
		require.Len(t, got, 3)
		assert.Equal(t, []string{tt.want, tt.want, "Иванов Иван"}, []string{got[0].Name, got[1].Name, got[2].Name})
	}
}

// Q7 (docs/sstu.md §3): NotRegistered is reported only for an appeal another body sent on
// whose registration was refused, under the cover letter's number; a direct appeal refused at
// registration, and a NotRegistered question on any other card, are not.
func TestExportNotRegistered(t *testing.T) {
	forwarded := card(1, appeal.StatusNotRegistered)
	forwarded.State = appeal.StateRefused
	forwarded.Questions[0].Status = "" // the card's questions have no status yet
	direct := card(2, appeal.StatusNotRegistered)
	direct.Channel, direct.CoverLetter, direct.State = appeal.ChannelPost, nil, appeal.StateRefused
	notRefused := card(3, appeal.StatusNotRegistered)
	notRefused.State = appeal.StateReceived
	for _, a := range []*appeal.Appeal{forwarded, direct, notRefused} {
		a.ReceivedAt = time.Date(2024, 3, 31, 22, 0, 0, 0, time.UTC) // 1 April in Perm: not March
	}
	_, res := export(t, newExporter(), slice(entryFor(forwarded, -1, 0), entryFor(direct, -1, 0), entryFor(notRefused, -1, 0)))
	assert.Zero(t, res.Exported, "received in April, Perm time")

	for _, a := range []*appeal.Appeal{forwarded, direct, notRefused} {
		a.ReceivedAt = time.Date(2024, 3, 4, 9, 0, 0, 0, perm)
	}
	changed := entryFor(notRefused, -1, 0)
	changed.StatusChanges = []time.Time{notRefused.ReceivedAt}
	m, res := export(t, newExporter(), slice(entryFor(forwarded, -1, 0), entryFor(direct, -1, 0), changed))
	assert.Equal(t, 1, res.Exported)
	assert.Equal(t, 2, res.Skipped)
	got := readAll(t, m.Parts()...)
	require.Len(t, got, 1)
	assert.False(t, got[0].IsDirect)
	assert.Equal(t, "А26-05-84857211-СО1", got[0].Number)
	assert.Equal(t, []Question{{Code: "0005.0005.0055.1122", Status: appeal.StatusNotRegistered, IncomingDate: day(4)}}, got[0].Questions)
}

// With no Location the report's days are Moscow days, as the engine's are; never UTC.
func TestOrgDefaultZone(t *testing.T) {
	a := card(1, appeal.StatusInWork)
	a.ReceivedAt = time.Date(2024, 3, 4, 22, 30, 0, 0, time.UTC) // 5 March, 01:30 in Moscow
	a.RegisteredAt = a.ReceivedAt
	r := (&Org{DepartmentID: ourDept}).Record(entryFor(a, -1, 0))
	assert.Equal(t, deadline.NewDate(2024, 3, 5), r.Questions[0].IncomingDate)
	assert.Equal(t, 3*60*60, offset(Moscow()))
	assert.Equal(t, "MSK", Moscow().String())
}

func offset(loc *time.Location) int {
	_, off := time.Date(2024, 7, 1, 0, 0, 0, 0, loc).Zone()
	return off
}
