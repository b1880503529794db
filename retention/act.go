package retention

import (
	"fmt"
	"iter"
	"strings"

	"github.com/fz59/appeals/deadline"
)

// DestructionAct is the header of the act (акт о выделении к уничтожению
// документов, не подлежащих хранению) and of the ЭПК review list drafted
// with it.
type DestructionAct struct {
	// Number is the act's number.
	Number       string
	Date         deadline.Date // files are judged on this date
	Organization string
	// Approval is the reference to the act's approval: the expert
	// commission's protocol and, for a source of acquisition of a state or
	// municipal archive, the ЭПК agreement of the inventories for the same
	// years, e.g. "протокол ЭК от 20.01.2030 № 1; согласовано ЭПК … № 3".
	Approval string
}

// Row is one line of the act or of the review list.
type Row struct {
	N        int // number in the list (№ п/п), from 1
	File     File
	Decision Decision
}

// Summary is the totals line of the act or of the review list.
type Summary struct {
	// Files and Volumes count the files listed and their volumes.
	Files   int
	Volumes int
	// First and Last are the extreme dates of the listed files: the
	// earliest registration (or closing) and the latest closing.
	First, Last deadline.Date
}

func (s *Summary) add(f File) {
	s.Files++
	s.Volumes += volumes(f)
	first := f.Registered
	if first.IsZero() {
		first = f.Closed
	}
	if s.First.IsZero() || first.Before(s.First) {
		s.First = first
	}
	if f.Closed.After(s.Last) {
		s.Last = f.Closed
	}
}

func volumes(f File) int { return max(f.Volumes, 1) }

// Totals counts what Draft saw.
type Totals struct {
	Files     int     // files read
	Destroy   Summary // listed in the DestructionAct
	Review    Summary // listed for ExpertReview
	Kept      int     // period not run out
	Permanent int     // kept permanently
}

// Sheet receives the rows of one list as Draft decides them, then its totals.
// NewCSVSheet, NewSheet and the sheets of a retentionxlsx.Workbook implement it.
type Sheet interface {
	WriteRow(Row) error
	WriteTotals(Summary) error
}

// Draft reads closed files and writes those whose period has run out on
// act.Date to destroy, and the ЭПК files due for review to review (a nil
// Sheet only counts). Rows keep the input order, numbered from 1 in each
// list, so the act is deterministic when the host's store lists files in a
// stable order (by nomenclature index, say). Nothing is kept per file:
// memory stays flat however long the stream.
//
// An act without Approval gives ErrNoApproval, without a date ErrBadAct.
// The first file Decide refuses, or the first error of the stream, stops
// the draft; the error names the file.
func (s *Schedule) Draft(act DestructionAct, files iter.Seq2[File, error], destroy, review Sheet) (Totals, error) {
	var t Totals
	if strings.TrimSpace(act.Approval) == "" {
		return t, fmt.Errorf("retention: act %q: %w", act.Number, ErrNoApproval)
	}
	if !valid(act.Date) {
		return t, fmt.Errorf("retention: act %q: %w: no valid date", act.Number, ErrBadAct)
	}
	for f, err := range files {
		if err != nil {
			return t, fmt.Errorf("retention: act %q: reading file %d: %w", act.Number, t.Files+1, err)
		}
		t.Files++
		d, err := s.Decide(f, act.Date)
		if err != nil {
			return t, err
		}
		var sum *Summary
		var sheet Sheet
		switch d.Status {
		case StatusKeep:
			t.Kept++
			continue
		case StatusPermanent:
			t.Permanent++
			continue
		case StatusReviewDue:
			sum, sheet = &t.Review, review
		default:
			sum, sheet = &t.Destroy, destroy
		}
		sum.add(f)
		if sheet != nil {
			if err := sheet.WriteRow(Row{N: sum.Files, File: f, Decision: d}); err != nil {
				return t, fmt.Errorf("retention: act %q: file %q: %w", act.Number, f.Number, err)
			}
		}
	}
	for _, out := range [...]struct {
		sheet Sheet
		sum   Summary
	}{{destroy, t.Destroy}, {review, t.Review}} {
		if out.sheet != nil {
			if err := out.sheet.WriteTotals(out.sum); err != nil {
				return t, fmt.Errorf("retention: act %q: totals: %w", act.Number, err)
			}
		}
	}
	return t, nil
}

// FromSlice adapts a slice of files to the stream Draft reads.
func FromSlice(files []File) iter.Seq2[File, error] {
	return func(yield func(File, error) bool) {
		for _, f := range files {
			if !yield(f, nil) {
				return
			}
		}
	}
}
