// Package sstutest is for test suites of systems that write or receive ССТУ.РФ reports: a
// one-line check of files on disk, and the zip bombs an upload must be refused for in bounded
// memory.
//
//	func TestExport(t *testing.T) {
//		// … the system under test writes dir/rro-2024-03-001.zip …
//		sstutest.Valid(t, filepath.Join(dir, "rro-2024-03-001.zip"))
//	}
package sstutest
