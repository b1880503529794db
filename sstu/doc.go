// Package sstu owns the ССТУ.РФ monthly report «Результаты рассмотрения обращений» (РРО, Decree
// of the President No. 171): the upload record and its JSON, the mapping from appeal cards,
// the streaming zip export of a month, the validator that integrators' test suites call (the
// derived JSON Schema, embedded, plus the cross-field rules), the reader that turns zips back
// into records, and the monthly form as JSON. The format decisions it makes are in
// docs/sstu.md; the XLSX form is in package sstuxlsx, test helpers in sstutest.
//
// The main calls:
//
//	x := &sstu.Exporter{Org: org, Blobs: blobs}                        // org: GUID, zone, other bodies
//	res, err := x.Export(ctx, month, entries, &sstu.Dir{Path: dir})    // <uuid>.json per appeal; res.Refusals
//	problems := (&sstu.Validator{}).Zip(parts...)                       // every problem: file, JSON path, rule
//
// What goes into a month is InMonth unless Exporter.Select says otherwise: an appeal registered
// in the month, or one with a question whose status changed in it (Entry.StatusChanges), as days
// in the organization's zone (Moscow time unless set).
//
// The export streams: records are written as they come from the iterator, attachment bytes go
// from Blobs through a Base64 encoder into the compressor, and a part keeps 32 bytes per entry
// for its directory. Its peak heap does not grow with the month. Workers compress records in
// parallel and a single writer puts them in input order; entry names derive from the appeal
// ids (FileName) and zip times are the month's first day, so a re-export is byte-identical,
// with any number of workers. A record that breaks a rule is left out and handed back
// (Result.Refusals); the month goes on. A stopped export leaves no part behind (Destination).
//
// Reading is bounded whatever the input (Limits): the zip reader streams a part's directory,
// an entry is one object no larger than Limits.EntryBytes, a record no more than MaxValues JSON
// values, and the problems of one call are capped. Problems name the path and the rule, never
// the value: a report with personal data in it (names, addresses, e-mails) does not leak them
// into logs. Rules marked lenient (fields not in the upload, date-times, a BOM, the zip
// layout, Supported without actionsTaken) are warnings unless Validator.Strict. The Russian
// labels of statuses are appeal.QuestionStatus.Label.
package sstu
