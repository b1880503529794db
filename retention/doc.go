// Package retention owns the archival side of closed appeal files: which
// RetentionPeriod (срок хранения) applies to a File (дело) of the
// nomenclature (номенклатура дел), from which date it may be destroyed, when
// its ExpertReview (экспертиза ценности, ЭПК) is due, and the draft of the
// DestructionAct (акт о выделении к уничтожению документов, не подлежащих
// хранению) with the review list of ЭПК files.
//
// The main call:
//
//	sched := retention.Standard()
//	d, err := sched.Decide(file, on)    // d.Eligible, d.Status: keep, permanent, review due, destroy due
//	tot, err := sched.Draft(act, files, retention.NewCSVSheet(w), nil)
//
// The periods are data (schedule.csv, parsed by ParseRules), never code: the
// article numbers of the Rosarchive lists are unverified (see Standard and
// docs/retention.md). A period counts from 1 January of the year after the
// file was closed, so a file closed in year Y with a period of P years may be
// destroyed from 1 January of Y+P+1. Time enters only through the dates
// passed in.
//
// Lists are written as CSV here (NewCSVSheet) or through any LineWriter
// (NewSheet); package retentionxlsx writes them as an XLSX workbook, so that
// importing retention does not build a spreadsheet library.
//
// The package depends on nothing of this module except deadline.Date and
// appeal.Kind. The appeal itself reaches it as Facts, which the workflow
// fills in.
package retention
