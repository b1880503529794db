// Package reportxlsx writes report tables (report.Table) as the sheets of an XLSX workbook
// with excelize: a sheet per table, named by its Russian title, with a frozen header; ints and
// shares as numbers (shares and averages with one decimal place), dates as dates. Sheets are
// streamed row by row, so a listing report writes into its sheet as it reads the appeals:
//
//	wb, err := reportxlsx.New()
//	err = reportxlsx.WriteSheet(wb, report.ControlTable, rows)
//	_, err = wb.WriteTo(w)
//
// For a listing, AddSheet returns a Sheet whose Write is the report's callback; Close it
// before the next sheet.
package reportxlsx
