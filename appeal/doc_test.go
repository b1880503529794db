package appeal

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated parts of doc.go")

// The package documentation quotes the lifecycle diagram and the requisites matrix; this test
// regenerates both from the code's own definitions and fails when doc.go differs
// (go test ./appeal -run TestDocIsGenerated -update rewrites it).
func TestDocIsGenerated(t *testing.T) {
	var req strings.Builder
	fmt.Fprintf(&req, "%-11s %-28s %-42s %-11s %s\n", "form", "field", "rule", "since", "when")
	for _, r := range Requisites() {
		since := ""
		if !r.Since.IsZero() {
			since = r.Since.Format("2006-01-02")
		}
		fmt.Fprintf(&req, "%-11s %-28s %-42s %-11s %s\n", r.Form, r.Field, r.Rule, since, r.When)
	}
	tables := map[string]string{"lifecycle": Diagram(), "requisites": req.String()}
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for name, table := range tables {
		var want strings.Builder
		for _, l := range strings.Split(strings.TrimRight(table, "\n"), "\n") {
			want.WriteString("//\t" + strings.TrimRight(l, " ") + "\n")
		}
		start := "// Generated table " + name + ":\n//\n"
		i := strings.Index(src, start)
		if i < 0 {
			t.Fatalf("doc.go has no %q", start)
		}
		j := i + len(start)
		k := j
		for strings.HasPrefix(src[k:], "//\t") {
			k += strings.Index(src[k:], "\n") + 1
		}
		if src[j:k] != want.String() {
			if !*update {
				t.Errorf("doc.go: the %s table differs from the code's; run go test -run TestDocIsGenerated -update", name)
				continue
			}
			src = src[:j] + want.String() + src[k:]
		}
	}
	if *update {
		if err := os.WriteFile("doc.go", []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
