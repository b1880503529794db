package sstu_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLightImports: a host that embeds the engine, or exports the report, does not build the
// spreadsheet library; only sstuxlsx and retentionxlsx do.
func TestLightImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	for _, pkg := range []string{"github.com/fz59/appeals/workflow", "github.com/fz59/appeals/sstu", "github.com/fz59/appeals/retention"} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
		require.NoError(t, err, pkg)
		for _, dep := range strings.Fields(string(out)) {
			assert.NotContains(t, dep, "excelize", "%s imports %s", pkg, dep)
		}
	}
}
