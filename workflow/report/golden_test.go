package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/fz59/appeals/workflow/report/internal/dataset"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden CSV files in testdata")

// TestGolden writes every report over the fixed data set (dataset.Build) as CSV and compares
// it with testdata/<table>.csv byte for byte; -update rewrites them.
func TestGolden(t *testing.T) {
	files := dataset.Build(t).Run(t).CSV(t)
	require.Len(t, files, 7)
	for name, got := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".csv")
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
		})
	}
}
