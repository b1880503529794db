// Package retentionxlsx writes the DestructionAct (акт о выделении к уничтожению) of package
// retention and its ЭПК review list as one XLSX workbook, two sheets. It is apart from
// retention so that a host that only needs the schedule, or the CSV form, does not build the
// spreadsheet library.
//
// The main call:
//
//	wb, err := retentionxlsx.New(act)
//	tot, err := retention.Standard().Draft(act, files, wb.Destroy(), wb.Review())
//	_, err = wb.WriteTo(w); wb.Close()
package retentionxlsx
