package workflow

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
)

var update = flag.Bool("update", false, "rewrite the generated parts of doc.go")

// The package documentation quotes the default role model and the catalogue of notice
// templates; this test regenerates both from the code's own tables and fails when doc.go
// differs (go test ./workflow -run TestDocIsGenerated -update rewrites it).
func TestDocIsGenerated(t *testing.T) {
	notices, err := noticesTable()
	if err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, "doc.go", map[string]string{"roles": rolesTable(), "notices": notices})
}

// rolesTable is DefaultAuthorizer as a table: a command a line with the roles that may run it.
func rolesTable() string {
	m := DefaultAuthorizer()
	cmds := make([]Command, 0, len(m))
	for c := range m {
		cmds = append(cmds, c)
	}
	slices.Sort(cmds)
	var b strings.Builder
	fmt.Fprintf(&b, "%-17s %s\n", "command", "roles (admin: every command)")
	for _, c := range cmds {
		roles := make([]string, len(m[c]))
		for i, r := range m[c] {
			roles[i] = string(r)
		}
		fmt.Fprintf(&b, "%-17s %s\n", c, strings.Join(roles, ", "))
	}
	return b.String()
}

// noticesTable is the catalogue of the default templates: each kind with the NoticeData fields
// its subject and body use.
func noticesTable() (string, error) {
	t, err := notices(nil)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s %s\n", "kind", "NoticeData fields used")
	for _, k := range NoticeKinds() {
		fields := map[string]bool{}
		for _, part := range []string{".subject", ".body"} {
			tt := t.Lookup(string(k) + part)
			if tt == nil {
				return "", fmt.Errorf("no template %s%s", k, part)
			}
			collectFields(t, tt.Root, fields)
		}
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		slices.Sort(names)
		fmt.Fprintf(&b, "%-22s %s\n", k, strings.Join(names, ", "))
	}
	return b.String(), nil
}

// collectFields adds the NoticeData fields the node uses, following {{template}} calls.
func collectFields(t *template.Template, n parse.Node, into map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectFields(t, c, into)
		}
	case *parse.ActionNode:
		collectFields(t, n.Pipe, into)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			collectFields(t, c, into)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			collectFields(t, a, into)
		}
	case *parse.FieldNode:
		into[n.Ident[0]] = true
	case *parse.IfNode:
		collectFields(t, n.Pipe, into)
		collectFields(t, n.List, into)
		collectFields(t, n.ElseList, into)
	case *parse.WithNode:
		collectFields(t, n.Pipe, into)
		collectFields(t, n.List, into)
		collectFields(t, n.ElseList, into)
	case *parse.RangeNode:
		collectFields(t, n.Pipe, into)
		collectFields(t, n.List, into)
	case *parse.TemplateNode:
		if sub := t.Lookup(n.Name); sub != nil {
			collectFields(t, sub.Root, into)
		}
	}
}

// checkGenerated checks that file holds, between the lines "// <name>:" … and the next blank
// comment line, each table indented as a doc-comment code block; with -update it rewrites
// those blocks.
func checkGenerated(t *testing.T, file string, tables map[string]string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for name, table := range tables {
		want := block(table)
		start := "// Generated table " + name + ":\n//\n"
		i := strings.Index(src, start)
		if i < 0 {
			t.Fatalf("%s has no %q", file, start)
		}
		j := i + len(start)
		k := j
		for strings.HasPrefix(src[k:], "//\t") {
			k += strings.Index(src[k:], "\n") + 1
		}
		if got := src[j:k]; got != want {
			if *update {
				src = src[:j] + want + src[k:]
				continue
			}
			t.Errorf("%s: the %s table differs from the code's; run go test -run TestDocIsGenerated -update\nwant:\n%s", file, name, want)
		}
	}
	if *update {
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// block indents text as a doc-comment code block.
func block(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("//\t" + strings.TrimRight(l, " ") + "\n")
	}
	return b.String()
}
