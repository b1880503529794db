// Package sstu owns the ССТУ.РФ monthly report «Результаты рассмотрения обращений» (РРО, Decree
// of the President No. 171): the upload record and its JSON (sstu.md §1), the mapping from
// appeal cards, the streaming zip export of a month, the validator that integrators' test
// suites call (the derived JSON Schema, embedded, plus the cross-field rules), the reader that
// turns zips back into records, and the monthly form as XLSX and JSON.
//
// The main calls:
//
//	x := &sstu.Exporter{Org: org, Files: files}                 // org: GUID, zone, other bodies
//	prog, err := x.Export(ctx, month, entries, sstu.CreateInDir(dir)) // <uuid>.json per appeal, parts ≤ 50 MB
//	problems := (&sstu.Validator{}).Zip(parts...)                // every problem: file, JSON path, rule
//
// What goes into a month is InMonth unless Exporter.Select says otherwise: an appeal registered
// in the month, or one with a question whose status changed in it (Entry.StatusChanges), as days
// in the organization's zone.
//
// The export streams: records are written as they come from the iterator, attachment bytes go
// from Files through a Base64 encoder into the compressor, and a part keeps 32 bytes per entry
// for its directory. Its peak heap does not grow with the month. Entry names derive from the
// appeal ids (FileName) and zip times are the month's first day, so a re-export is
// byte-identical.
//
// Problems name the path and the rule, never the value: a report with personal data in it
// (names, addresses, e-mails) does not leak them into logs. Rules marked lenient (fields not in
// the upload, date-times, a BOM, the zip layout, Supported without actionsTaken) are warnings
// unless Validator.Strict. The Russian labels of statuses are appeal.QuestionStatus.Label; the
// form's headings are data in this package.
package sstu
